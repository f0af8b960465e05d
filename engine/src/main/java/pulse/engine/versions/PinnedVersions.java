package pulse.engine.versions;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import pulse.engine.common.Failures;
import pulse.engine.inference.InferencePool;
import pulse.engine.inference.InferenceSettings;
import pulse.engine.inference.ServingModel;

/**
 * Keeps this node's inference pool holding the model versions running experiments pin (frozen
 * variants, canaries): every {@code interval} it compares what is wanted with what the pool holds,
 * loads a missing version whole from the version store (off the actor) and pins it, and unpins what
 * is no longer wanted. A version that fails to load is tried again at the next tick; until it is
 * held, its variant's requests get the trending fallback, which its figures show.
 */
public final class PinnedVersions {
  private PinnedVersions() {}

  public sealed interface Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record Loaded(String version, Optional<ServingModel> loaded, Throwable failure)
      implements Command {}

  public static Behavior<Command> create(
      ActorRef<InferencePool.Command> pool,
      ModelVersionStore store,
      InferenceSettings settings,
      Supplier<Set<String>> wanted,
      Duration interval) {
    return Behaviors.setup(
        ctx -> {
          Executor blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
          Set<String> held = new HashSet<>();
          Set<String> loading = new HashSet<>();
          return Behaviors.withTimers(
              timers -> {
                timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ZERO, interval);
                return Behaviors.receive(Command.class)
                    .onMessage(
                        Tick.class,
                        t -> {
                          Set<String> want = wanted.get();
                          for (String v : Set.copyOf(held)) {
                            if (!want.contains(v)) {
                              held.remove(v);
                              pool.tell(new InferencePool.Unpin(v));
                            }
                          }
                          for (String v : want) {
                            if (!held.contains(v) && loading.add(v)) {
                              ctx.pipeToSelf(
                                  CompletableFuture.supplyAsync(
                                      () -> {
                                        try {
                                          return VersionLoader.load(
                                                  store,
                                                  v,
                                                  settings.sessionThreads(),
                                                  settings.device())
                                              .map(
                                                  l ->
                                                      VersionLoader.warmServing(
                                                          l, settings.batching().maxBatchSize()));
                                        } catch (Exception e) {
                                          throw new CompletionException(e);
                                        }
                                      },
                                      blocking),
                                  (loaded, failure) -> new Loaded(v, loaded, failure));
                            }
                          }
                          return Behaviors.same();
                        })
                    .onMessage(
                        Loaded.class,
                        l -> {
                          loading.remove(l.version());
                          if (l.failure() != null || l.loaded().isEmpty()) {
                            ctx.getLog()
                                .warn(
                                    "cannot load pinned model version {} (next try in {}): {}",
                                    l.version(),
                                    interval,
                                    l.failure() == null
                                        ? "not stored"
                                        : Failures.unwrapCompletion(l.failure()).toString());
                          } else if (wanted.get().contains(l.version())) {
                            held.add(l.version());
                            pool.tell(new InferencePool.Pin(l.loaded().get()));
                          } else {
                            l.loaded().get().model().close(); // unpinned while it loaded
                          }
                          return Behaviors.same();
                        })
                    .build();
              });
        });
  }
}
