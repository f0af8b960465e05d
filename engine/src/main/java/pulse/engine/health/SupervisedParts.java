package pulse.engine.health;

import akka.actor.typed.Behavior;
import akka.actor.typed.BehaviorInterceptor;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.Signal;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The node's long-lived system actors (inference pool, model follower, catalog index), each
 * restarted with backoff when it fails, and each one's state for readiness: a part that failed is
 * down (the node answers 503 on /ready) until it has started again. Without this, a crashed pool
 * left a node answering every request from the trending fallback while /ready said 200.
 */
public final class SupervisedParts {
  /** A part's restart backoff. */
  public record Backoff(Duration min, Duration max, double randomFactor) {
    /** From {@code pulse.engine.supervision}. */
    public static Backoff fromConfig(Config c) {
      return new Backoff(
          c.getDuration("min-backoff"), c.getDuration("max-backoff"), c.getDouble("random-factor"));
    }
  }

  private final Map<String, String> down = new ConcurrentHashMap<>();
  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private final Consumer<String> onRestart;

  /** {@code onRestart} hears the name of each part that failed and is being restarted. */
  public SupervisedParts(Consumer<String> onRestart) {
    this.onRestart = onRestart;
  }

  /**
   * {@code behavior} restarted with {@code backoff} after a failure, reported as {@code name} in
   * {@link #checks()}: down from its failure until it has set up again.
   */
  public <T> Behavior<T> supervise(String name, Behavior<T> behavior, Backoff backoff) {
    known.add(name);
    down.put(name, "starting");
    Behavior<T> watched =
        Behaviors.setup(
            ctx -> {
              down.remove(name);
              return Behaviors.intercept(() -> new FailureWatch<>(name), behavior);
            });
    return Behaviors.supervise(watched)
        .onFailure(
            SupervisorStrategy.restartWithBackoff(
                backoff.min(), backoff.max(), backoff.randomFactor()));
  }

  /** One required check per part: ok while it runs. */
  public List<Readiness.Check> checks() {
    return known.stream()
        .sorted()
        .map(
            name -> {
              String why = down.get(name);
              return new Readiness.Check(name, why == null, true, why == null ? "running" : why);
            })
        .toList();
  }

  /** Marks the part down when its behavior is restarted (after a failure) or stops. */
  private final class FailureWatch<T> extends BehaviorInterceptor<T, T> {
    private final String name;

    @SuppressWarnings("unchecked")
    FailureWatch(String name) {
      super((Class<T>) (Class<?>) Object.class);
      this.name = name;
    }

    @Override
    public Behavior<T> aroundReceive(TypedActorContext<T> ctx, T msg, ReceiveTarget<T> target) {
      return target.apply(ctx, msg);
    }

    @Override
    public Behavior<T> aroundSignal(
        TypedActorContext<T> ctx, Signal signal, SignalTarget<T> target) {
      if (signal instanceof PreRestart) {
        down.put(name, "failed; restarting with backoff");
        onRestart.accept(name);
      } else if (signal instanceof PostStop) {
        down.put(name, "stopped");
      }
      return target.apply(ctx, signal);
    }
  }
}
