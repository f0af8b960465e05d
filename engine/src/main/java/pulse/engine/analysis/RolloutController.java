package pulse.engine.analysis;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.StashBuffer;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import akka.pattern.StatusReply;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import pulse.engine.common.CborSerializable;
import pulse.engine.experiment.Experiment;
import pulse.engine.experiment.Experiments;
import pulse.engine.experiment.Rollout;
import pulse.engine.experiment.VariantTotals;
import pulse.engine.metrics.PulseMetrics;
import pulse.engine.storage.CassandraStore;
import pulse.engine.versions.ModelVersionStore;
import pulse.engine.versions.VersionStatus;

/**
 * Runs canary rollouts ({@code POST /v1/model/rollout}), one at a time, as the cluster's one
 * controller (a singleton). A rollout is an experiment of two variants, the candidate version
 * pinned (every node loads it) and the current model; every {@code tick} the controller asks the
 * experiment analyst for both arms' totals and lets {@link Rollout#decide} judge them, then carries
 * the decision out: new weights (the next step), or the end. A rolled-back candidate is marked
 * {@code rolled_back} in the version store (GET /v1/model's history, on every node) and its
 * experiment stopped, so every node serves the current version alone again; a promoted one is
 * marked good and made the learner's new base (every node then serves it), and the experiment
 * stopped. Each decision is stored first ({@link RolloutStore}): a controller restarted on another
 * node goes on with a running rollout from where it was.
 */
public final class RolloutController {
  private RolloutController() {}

  public sealed interface Command extends CborSerializable {}

  /** Start a rollout; replies with it, or why not. */
  public record Start(Plan plan, ActorRef<StatusReply<Rollout>> replyTo) implements Command {}

  /** The plan of {@code POST /v1/model/rollout}, already validated by {@link Rollout#start}. */
  public record Plan(
      String version,
      List<Integer> steps,
      pulse.engine.experiment.CanaryGate.Gates gates,
      double alpha,
      int maxLooks)
      implements CborSerializable {}

  /** Every rollout, newest first. */
  public record Get(ActorRef<Rollouts> replyTo) implements Command {}

  public record Rollouts(List<Rollout> rollouts) implements CborSerializable {}

  private record Loaded(List<Rollout> all, Throwable failure) implements Command {}

  private record Started(Rollout rollout, Throwable failure, ActorRef<StatusReply<Rollout>> replyTo)
      implements Command {}

  private record Judged(Rollout next, Throwable failure) implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  /** What the controller works with; {@code promote} makes a version the learner's new base. */
  public record Parts(
      Experiments experiments,
      ActorRef<ExperimentAnalyst.Command> analyst,
      ModelVersionStore versions,
      Function<String, CompletionStage<String>> promote,
      Duration tick,
      Clock clock) {}

  public static ActorRef<Command> init(ActorSystem<?> system, Parts parts) {
    return ClusterSingleton.get(system)
        .init(
            SingletonActor.of(
                Behaviors.supervise(
                        Behaviors.<Command>setup(
                            ctx ->
                                create(
                                    parts,
                                    new RolloutStore(
                                        CassandraStore.session(system),
                                        CassandraStore.keyspace(system)))))
                    .onFailure(
                        SupervisorStrategy.restartWithBackoff(
                            Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)),
                "rollout-controller"));
  }

  static Behavior<Command> create(Parts parts, RolloutStore store) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withStash(
                100,
                stash ->
                    Behaviors.withTimers(
                        timers -> {
                          ctx.pipeToSelf(store.all(), Loaded::new);
                          timers.startTimerWithFixedDelay(Tick.INSTANCE, parts.tick());
                          return new Controller(ctx, stash, parts, store).loading();
                        })));
  }

  private static final class Controller {
    private final ActorContext<Command> ctx;
    // The context's logger, taken on the actor's thread: decisions are carried out in futures.
    private final org.slf4j.Logger log;
    private final StashBuffer<Command> stash;
    private final Parts parts;
    private final RolloutStore store;
    private List<Rollout> all = new ArrayList<>();
    private boolean judging;

    private final MeterRegistry registry;
    private final Gauge percent;

    Controller(
        ActorContext<Command> ctx, StashBuffer<Command> stash, Parts parts, RolloutStore store) {
      this.ctx = ctx;
      this.log = ctx.getLog();
      this.stash = stash;
      this.parts = parts;
      this.store = store;
      // On /metrics of the node running the controller: the running canary's share, 0 when none.
      this.registry = PulseMetrics.get(ctx.getSystem()).registry();
      // A controller restarted after a failure replaces its predecessor's gauge.
      registry.find("pulse.rollout.canary.percent").meters().forEach(registry::remove);
      this.percent =
          Gauge.builder(
                  "pulse.rollout.canary.percent",
                  this,
                  c -> c.running().map(Rollout::percent).orElse(0))
              .description("share of users the running canary serves, percent; 0 when none")
              .register(registry);
    }

    private void outcome(Rollout r) {
      registry
          .counter("pulse.rollout.outcomes", "outcome", r.status().name().toLowerCase())
          .increment();
    }

    Behavior<Command> loading() {
      return Behaviors.receive(Command.class)
          .onMessage(
              Loaded.class,
              l -> {
                if (l.failure() != null) {
                  throw new IllegalStateException("cannot read the rollouts", l.failure());
                }
                all = new ArrayList<>(l.all());
                running().ifPresent(r -> ctx.getLog().info("resuming rollout {}", r.name()));
                return stash.unstashAll(ready());
              })
          .onMessage(Tick.class, t -> Behaviors.same())
          .onAnyMessage(
              m -> {
                stash.stash(m);
                return Behaviors.same();
              })
          .build();
    }

    private Optional<Rollout> running() {
      return all.stream().filter(Rollout::running).findFirst();
    }

    Behavior<Command> ready() {
      return Behaviors.receive(Command.class)
          .onMessage(Start.class, this::onStart)
          .onMessage(Started.class, this::onStarted)
          .onMessage(
              Get.class,
              g -> {
                g.replyTo().tell(new Rollouts(List.copyOf(all)));
                return Behaviors.same();
              })
          .onMessage(Tick.class, t -> onTick())
          .onMessage(Judged.class, this::onJudged)
          .onSignal(
              PostStop.class,
              s -> {
                registry.remove(percent);
                return Behaviors.same();
              })
          .build();
    }

    private Behavior<Command> onStart(Start s) {
      if (running().isPresent()) {
        s.replyTo()
            .tell(
                StatusReply.error(
                    "rollout " + running().get().name() + " is running; one runs at a time"));
        return Behaviors.same();
      }
      Rollout r;
      try {
        Plan p = s.plan();
        r =
            Rollout.start(
                p.version(),
                p.steps(),
                p.gates(),
                p.alpha(),
                p.maxLooks(),
                parts.clock().instant());
      } catch (IllegalArgumentException e) {
        s.replyTo().tell(StatusReply.error(e.getMessage()));
        return Behaviors.same();
      }
      Rollout rollout = r;
      CompletionStage<Rollout> started =
          parts
              .versions()
              .find(r.version())
              .thenCompose(
                  found -> {
                    if (found.isEmpty() || found.get().status() != VersionStatus.CANDIDATE) {
                      throw new IllegalArgumentException(
                          "version "
                              + rollout.version()
                              + (found.isEmpty()
                                  ? " is not stored"
                                  : " is " + found.get().status().storedName())
                              + "; a rollout takes a candidate (POST /v1/model/candidates)");
                    }
                    return parts
                        .experiments()
                        .start(
                            new Experiment(
                                rollout.name(),
                                rollout.variants(),
                                Rollout.CONTROL,
                                null,
                                Experiment.Status.RUNNING,
                                rollout.startedAt(),
                                null));
                  })
              .thenCompose(
                  change -> {
                    if (change instanceof Experiments.Refused refused) {
                      throw new IllegalArgumentException(refused.reason());
                    }
                    return store.save(rollout).thenApply(done -> rollout);
                  });
      ctx.pipeToSelf(started, (ok, failure) -> new Started(ok, failure, s.replyTo()));
      return Behaviors.same();
    }

    private Behavior<Command> onStarted(Started s) {
      if (s.failure() != null) {
        Throwable cause = pulse.engine.common.Failures.unwrapCompletion(s.failure());
        s.replyTo().tell(StatusReply.error(cause.getMessage()));
        return Behaviors.same();
      }
      all.add(0, s.rollout());
      ctx.getLog()
          .info(
              "rollout {} started: {} at {}%",
              s.rollout().name(), s.rollout().version(), s.rollout().percent());
      s.replyTo().tell(StatusReply.success(s.rollout()));
      return Behaviors.same();
    }

    private Behavior<Command> onTick() {
      Optional<Rollout> r = running();
      if (r.isEmpty() || judging) {
        return Behaviors.same();
      }
      judging = true;
      Rollout now = r.get();
      boolean stoppedOutside =
          parts.experiments().get(now.name()).map(e -> !e.running()).orElse(false);
      if (stoppedOutside) {
        Rollout next =
            now.aborted(
                "its experiment " + now.name() + " was stopped from outside (an abort)",
                parts.clock().instant());
        ctx.pipeToSelf(carryOut(now, next), Judged::new);
        return Behaviors.same();
      }
      CompletionStage<Rollout> judged =
          AskPattern.<ExperimentAnalyst.Command, ExperimentAnalyst.Totals>ask(
                  parts.analyst(),
                  reply -> new ExperimentAnalyst.GetTotals(now.name(), reply),
                  Duration.ofSeconds(5),
                  ctx.getSystem().scheduler())
              .thenCompose(
                  totals -> {
                    Rollout next =
                        now.decide(
                            totals
                                .variants()
                                .getOrDefault(Rollout.CANARY, VariantTotals.Snapshot.EMPTY),
                            totals
                                .variants()
                                .getOrDefault(Rollout.CONTROL, VariantTotals.Snapshot.EMPTY),
                            parts.clock().instant());
                    return next == now
                        ? CompletableFuture.completedFuture(now)
                        : carryOut(now, next);
                  });
      ctx.pipeToSelf(judged, Judged::new);
      return Behaviors.same();
    }

    /** Stores the decision, then acts on it; the stored state is the one a restart resumes. */
    private CompletionStage<Rollout> carryOut(Rollout before, Rollout next) {
      return store.save(next).thenCompose(saved -> act(before, next)).thenApply(done -> next);
    }

    private CompletionStage<?> act(Rollout before, Rollout next) {
      Experiments experiments = parts.experiments();
      ModelVersionStore versions = parts.versions();
      return switch (next.status()) {
        case RUNNING ->
            next.step() != before.step()
                ? experiments.reweigh(next.name(), next.variants())
                : CompletableFuture.completedFuture(null);
        case ROLLED_BACK ->
            experiments
                .stop(next.name())
                .thenCompose(
                    stopped ->
                        versions
                            .markStatus(next.version(), VersionStatus.ROLLED_BACK)
                            .exceptionally(
                                e -> {
                                  // A candidate of another model name (the model was renamed
                                  // since) is not in this store: the rollback itself stands.
                                  log.warn(
                                      "rollout {}: could not mark {} rolled back: {}",
                                      next.name(),
                                      next.version(),
                                      e.toString());
                                  return null;
                                }));
        case PROMOTED ->
            versions
                .markStatus(next.version(), VersionStatus.GOOD)
                .thenCompose(marked -> parts.promote().apply(next.version()))
                .thenCompose(promoted -> experiments.stop(next.name()));
      };
    }

    private Behavior<Command> onJudged(Judged j) {
      judging = false;
      if (j.failure() != null) {
        ctx.getLog()
            .warn(
                "judging the running rollout failed (next try in {}): {}",
                parts.tick(),
                j.failure().toString());
        return Behaviors.same();
      }
      Rollout next = j.next();
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).name().equals(next.name()) && all.get(i) != next) {
          Rollout before = all.get(i);
          all.set(i, next);
          if (before.running() && !next.running()) {
            outcome(next);
          }
          if (before.step() != next.step()
              || before.status() != next.status()
              || before.look() != next.look()) {
            ctx.getLog()
                .info(
                    "rollout {}: {} at {}% (look {}): {}",
                    next.name(),
                    next.status() == Rollout.Status.RUNNING
                        ? "now"
                        : next.status().name().toLowerCase(),
                    next.percent(),
                    before.look(),
                    next.reason());
          }
        }
      }
      return Behaviors.same();
    }
  }
}
