package pulse.engine.experiment;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.engine.common.CborSerializable;
import pulse.engine.health.Readiness;

/**
 * This node's view of the experiments, and the one place that changes them.
 *
 * <p>Cassandra holds the experiments ({@link ExperimentStore}); every node keeps them in memory, so
 * assigning a request costs a hash and no I/O. A node loads them at start (and is not ready until
 * it has: it would serve an experiment's users outside their variant), reloads when any node
 * announces a change on a cluster topic, and every {@code refresh} anyway, which covers a missed
 * announcement. A user's variant depends on the experiment's name and the user id only, so every
 * node that knows the experiment puts the user in the same variant, before and after restarts.
 *
 * <p>One experiment runs at a time: two would both decide how the same request is served. Should
 * two ever run (two admins on two nodes at the same moment), the older one assigns, on every node
 * alike.
 */
public final class Experiments {
  private static final Logger log = LoggerFactory.getLogger(Experiments.class);

  /** The answer to a change: the experiment as it now is, or why it was refused. */
  public sealed interface Change {}

  public record Changed(Experiment experiment) implements Change {}

  public record Refused(Why why, String reason) implements Change {}

  public enum Why {
    NOT_FOUND,
    CONFLICT
  }

  /** Announced on the cluster topic after a change is stored: every node reloads. */
  public record Announce(String experiment) implements CborSerializable {}

  /** Where pinned variants' versions come from: the version store, if learning is on. */
  public interface Versions {
    /** The version this node serves now (a pinned variant with no version gets it); or null. */
    String servingNow();

    /** Why {@code version} cannot be pinned (unknown, not good, no store); empty when it can. */
    CompletionStage<Optional<String>> problemWith(String version);
  }

  private final ExperimentStore store;
  private final Versions versions;
  private final Clock clock;
  private final ActorRef<Topic.Command<Announce>> topic;
  private volatile List<Experiment> all = List.of();
  private volatile boolean loaded;
  private final AtomicLong reads = new AtomicLong();
  private long appliedRead; // guarded by this

  private Experiments(
      ExperimentStore store,
      Versions versions,
      Clock clock,
      ActorRef<Topic.Command<Announce>> topic) {
    this.store = store;
    this.versions = versions;
    this.clock = clock;
    this.topic = topic;
  }

  /** Loads the experiments, keeps them current, and makes the node's readiness wait for them. */
  public static Experiments start(
      ActorSystem<?> system,
      ExperimentStore store,
      Versions versions,
      Clock clock,
      Duration refresh) {
    ActorRef<Topic.Command<Announce>> topic =
        system.systemActorOf(
            Topic.create(Announce.class, "pulse-experiments"), "experiment-changes", Props.empty());
    Experiments experiments = new Experiments(store, versions, clock, topic);
    system.systemActorOf(experiments.follower(topic, refresh), "experiments", Props.empty());
    Readiness.get(system)
        .require(
            () ->
                new Readiness.Check(
                    "experiments",
                    experiments.loaded,
                    true,
                    experiments.loaded
                        ? experiments.running().size() + " running"
                        : "not loaded from Cassandra yet"));
    return experiments;
  }

  private enum Tick {
    INSTANCE
  }

  private Behavior<Object> follower(ActorRef<Topic.Command<Announce>> topic, Duration refresh) {
    return Behaviors.<Object>setup(
            ctx -> {
              topic.tell(Topic.subscribe(ctx.getSelf().narrow()));
              return Behaviors.withTimers(
                  timers -> {
                    timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ZERO, refresh);
                    return Behaviors.receiveMessage(
                        m -> {
                          reloadInBackground();
                          return Behaviors.same();
                        });
                  });
            })
        .narrow();
  }

  /**
   * Reads every experiment from Cassandra; a failure keeps what the node had, and logs. Reads may
   * overlap (a tick and a change): only a read started after the applied one replaces it.
   */
  CompletionStage<List<Experiment>> reload() {
    long mine = reads.incrementAndGet();
    return store
        .all()
        .thenApply(
            list -> {
              synchronized (this) {
                if (mine > appliedRead) {
                  appliedRead = mine;
                  all = List.copyOf(list);
                  loaded = true;
                }
                return all;
              }
            });
  }

  private void reloadInBackground() {
    reload()
        .exceptionally(
            failure -> {
              log.warn("reading the experiments from Cassandra failed: {}", failure.toString());
              return all;
            });
  }

  public boolean loaded() {
    return loaded;
  }

  public List<Experiment> list() {
    return all;
  }

  public Optional<Experiment> get(String name) {
    return all.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  public List<Experiment> running() {
    return all.stream().filter(Experiment::running).toList();
  }

  /** Whether {@code variant} is the shadow variant of the experiment named {@code experiment}. */
  public boolean isShadow(String experiment, String variant) {
    return experiment != null && get(experiment).map(e -> e.isShadow(variant)).orElse(false);
  }

  /** The model versions running experiments pin: what every node must hold beside its current. */
  public Set<String> pinnedVersions() {
    Set<String> out = new TreeSet<>();
    for (Experiment e : running()) {
      List<Variant> held = new ArrayList<>(e.variants());
      e.shadowVariant().ifPresent(held::add);
      for (Variant v : held) {
        if (v.policy() == ServingPolicy.PINNED) {
          out.add(v.version());
        }
      }
    }
    return out;
  }

  /**
   * The variant a request of {@code userId} is served by, if an experiment runs. {@code
   * forcedVariant} (QA; may be null) names a variant of the running experiment; an unknown name is
   * the caller's error ({@link IllegalArgumentException}).
   */
  public Optional<Assignment> assign(String userId, String forcedVariant) {
    List<Experiment> current = all;
    for (Experiment e : current) {
      if (e.running()) {
        if (forcedVariant != null) {
          // The shadow too: QA sees what it would serve (a forced answer never counts).
          Variant v =
              e.variant(forcedVariant)
                  .or(() -> e.shadowVariant().filter(s -> s.name().equals(forcedVariant)))
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "experiment " + e.name() + " has no variant " + forcedVariant));
          return Optional.of(new Assignment(e.name(), v.name(), v.policy(), v.version(), true));
        }
        Variant v = e.variantOf(userId);
        return Optional.of(new Assignment(e.name(), v.name(), v.policy(), v.version(), false));
      }
    }
    if (forcedVariant != null) {
      throw new IllegalArgumentException("no experiment is running, so no variant can be forced");
    }
    return Optional.empty();
  }

  /**
   * Starts an experiment: refused when the name is taken, another one runs, or a pinned version
   * cannot be served. A pinned variant (the shadow too) with no version gets the one this node
   * serves now.
   */
  public CompletionStage<Change> create(ExperimentSpec spec) {
    List<Variant> resolved = new ArrayList<>(spec.variants().size() + 1);
    List<Variant> asked = new ArrayList<>(spec.variants());
    if (spec.shadow() != null) {
      asked.add(spec.shadow());
    }
    for (Variant v : asked) {
      if (v.policy() == ServingPolicy.PINNED && v.version() == null) {
        String now = versions.servingNow();
        if (now == null) {
          return CompletableFuture.completedFuture(
              new Refused(
                  Why.CONFLICT,
                  "variant " + v.name() + " pins the version served now, and none is served"));
        }
        resolved.add(v.withVersion(now));
      } else {
        resolved.add(v);
      }
    }
    CompletionStage<Optional<String>> problems =
        CompletableFuture.completedFuture(Optional.empty());
    for (Variant v : resolved) {
      if (v.policy() == ServingPolicy.PINNED) {
        problems =
            problems.thenCompose(
                p ->
                    p.isPresent()
                        ? CompletableFuture.completedFuture(p)
                        : versions
                            .problemWith(v.version())
                            .thenApply(q -> q.map(why -> "variant " + v.name() + ": " + why)));
      }
    }
    List<Variant> served = resolved.subList(0, spec.variants().size());
    Variant shadow = spec.shadow() == null ? null : resolved.get(resolved.size() - 1);
    return problems.thenCompose(
        problem ->
            problem.isPresent()
                ? CompletableFuture.completedFuture(new Refused(Why.CONFLICT, problem.get()))
                : createChecked(
                    new Experiment(
                        spec.name(),
                        served,
                        spec.control(),
                        shadow,
                        Experiment.Status.RUNNING,
                        clock.instant(),
                        null)));
  }

  /** {@code e}: running, created now. */
  private CompletionStage<Change> createChecked(Experiment e) {
    String name = e.name();
    return reload()
        .thenCompose(
            now -> {
              Optional<Experiment> other = now.stream().filter(Experiment::running).findFirst();
              if (other.isPresent()) {
                return CompletableFuture.completedFuture(
                    new Refused(
                        Why.CONFLICT,
                        "experiment "
                            + other.get().name()
                            + " is running; stop it first (one experiment runs at a time)"));
              }
              return store
                  .create(e)
                  .thenCompose(
                      created ->
                          created
                              ? announced(e)
                              : CompletableFuture.completedFuture(
                                  new Refused(
                                      Why.CONFLICT,
                                      "an experiment named "
                                          + name
                                          + " exists; names are never reused, so its figures stay"
                                          + " its own")));
            });
  }

  /**
   * Starts an experiment as given (no version check, no resolution): a rollout's, whose candidate
   * the rollout checked itself.
   */
  public CompletionStage<Change> start(Experiment e) {
    return createChecked(e);
  }

  /**
   * New weights for a running experiment (a canary's next step); refused when it is not running.
   */
  public CompletionStage<Change> reweigh(String name, List<Variant> variants) {
    Optional<Experiment> e = get(name);
    if (e.isEmpty()) {
      return CompletableFuture.completedFuture(
          new Refused(Why.NOT_FOUND, "no experiment named " + name));
    }
    Experiment now =
        new Experiment(
            name,
            variants,
            e.get().control(),
            e.get().shadow(),
            e.get().status(),
            e.get().createdAt(),
            e.get().stoppedAt());
    return store
        .reweigh(name, variants, now.control(), now.shadow())
        .thenCompose(
            applied ->
                applied
                    ? announced(now)
                    : CompletableFuture.completedFuture(
                        new Refused(Why.CONFLICT, "experiment " + name + " is not running")));
  }

  /** Stops a running experiment: its users are served as if it never ran; its figures stay. */
  public CompletionStage<Change> stop(String name) {
    return reload()
        .thenCompose(
            now -> {
              Optional<Experiment> e = now.stream().filter(x -> x.name().equals(name)).findFirst();
              if (e.isEmpty()) {
                return CompletableFuture.completedFuture(
                    new Refused(Why.NOT_FOUND, "no experiment named " + name));
              }
              Experiment stopped = e.get().stopped(clock.instant());
              return store
                  .stop(name, stopped.stoppedAt())
                  .thenCompose(
                      applied ->
                          applied
                              ? announced(stopped)
                              : CompletableFuture.completedFuture(
                                  new Refused(Why.CONFLICT, "experiment " + name + " is stopped")));
            });
  }

  private CompletionStage<Change> announced(Experiment e) {
    return reload()
        .thenApply(
            list -> {
              topic.tell(Topic.publish(new Announce(e.name())));
              log.info(
                  "experiment {} {}: variants {}, control {}",
                  e.name(),
                  e.running() ? "started" : "stopped",
                  e.variants(),
                  e.control());
              return new Changed(e);
            });
  }
}
