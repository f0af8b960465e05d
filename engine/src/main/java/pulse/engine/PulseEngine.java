package pulse.engine;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Props;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import pulse.engine.analysis.ExperimentAnalyst;
import pulse.engine.analysis.RolloutController;
import pulse.engine.catalog.CatalogIndex;
import pulse.engine.catalog.CatalogIndexUpdater;
import pulse.engine.catalog.ItemCatalog;
import pulse.engine.common.KafkaTopics;
import pulse.engine.event.OutboxTags;
import pulse.engine.event.PersistedEvents;
import pulse.engine.event.RecordedEvent;
import pulse.engine.experiment.ExperimentStore;
import pulse.engine.experiment.Experiments;
import pulse.engine.experiment.ServedList;
import pulse.engine.feedback.FeedbackOutbox;
import pulse.engine.feedback.OutboxMetrics;
import pulse.engine.health.Readiness;
import pulse.engine.health.SupervisedParts;
import pulse.engine.inference.InferencePool;
import pulse.engine.inference.InferenceSettings;
import pulse.engine.inference.MeteredPoolObserver;
import pulse.engine.ingest.EventIngest;
import pulse.engine.ingest.KafkaIngest;
import pulse.engine.learning.LearnerMetrics;
import pulse.engine.learning.LearnerSettings;
import pulse.engine.learning.OnlineLearner;
import pulse.engine.learning.RecoverySettings;
import pulse.engine.metrics.CassandraDriverMetrics;
import pulse.engine.metrics.PulseMetrics;
import pulse.engine.metrics.ShardingMetrics;
import pulse.engine.recommend.ClusterTrending;
import pulse.engine.recommend.MergedTrending;
import pulse.engine.recommend.RecommendationService;
import pulse.engine.recommend.TrendingSettings;
import pulse.engine.storage.CassandraStore;
import pulse.engine.user.UserEntity;
import pulse.engine.user.Users;
import pulse.engine.versions.ModelFollower;
import pulse.engine.versions.ModelUpdate;
import pulse.engine.versions.ModelVersionStore;
import pulse.engine.versions.PinnedVersions;
import pulse.engine.versions.VersionStatus;

/**
 * One node's engine, started in one order: the catalog, the model versions and the learner (when
 * online learning is on), the inference pool, trending (shared across the cluster), the feedback
 * outbox, the user actors, ingest, recommendations. This is the only place the parts are wired to
 * each other; the HTTP API binds its routes to what this class exposes.
 *
 * <p>Every event a user actor persists (from HTTP, from Kafka, or an impression of a served list)
 * takes two roads: the actor hands it, once per persist, to {@code persistedEvents}, which feeds
 * the trending items (this node's count, which {@link ClusterTrending} shares with the other nodes
 * and merges with theirs); and it files it under a journal tag, from which {@link FeedbackOutbox}
 * publishes it to the feedback topic (at least once, whatever happens to the node after the write).
 */
public final class PulseEngine {
  private final Users users;
  private final ItemCatalog catalog;
  private final EventIngest ingest;
  private final RecommendationService recommendations;
  private final Experiments experiments;
  private final Optional<ActorRef<ExperimentAnalyst.Command>> analyst;
  private final Optional<ActorRef<RolloutController.Command>> rollouts;
  private final ActorRef<InferencePool.Command> pool;
  private final InferenceSettings inference;
  private final Optional<Learning> learning;

  /** The online-learning side, present when {@code pulse.learning.enabled} is on. */
  public record Learning(
      ActorRef<OnlineLearner.Command> learner, ModelVersionStore store, LearnerSettings settings) {}

  private PulseEngine(
      Users users,
      ItemCatalog catalog,
      EventIngest ingest,
      RecommendationService recommendations,
      Experiments experiments,
      Optional<ActorRef<ExperimentAnalyst.Command>> analyst,
      Optional<ActorRef<RolloutController.Command>> rollouts,
      ActorRef<InferencePool.Command> pool,
      InferenceSettings inference,
      Optional<Learning> learning) {
    this.users = users;
    this.catalog = catalog;
    this.ingest = ingest;
    this.recommendations = recommendations;
    this.experiments = experiments;
    this.analyst = analyst;
    this.rollouts = rollouts;
    this.pool = pool;
    this.inference = inference;
    this.learning = learning;
  }

  /** Starts this node's engine in {@code system}; model folders are relative to {@code home}. */
  public static PulseEngine start(ActorSystem<?> system, Path home, Clock clock) {
    Config config = system.settings().config();
    PulseMetrics metrics = PulseMetrics.get(system);

    // The catalog, and the index every node keeps of it (kept current over a cluster topic).
    // The long-lived system actors below restart with backoff when they fail, and /ready turns 503
    // while one is down.
    SupervisedParts parts = Readiness.get(system).parts();
    SupervisedParts.Backoff backoff =
        SupervisedParts.Backoff.fromConfig(config.getConfig("pulse.engine.supervision"));
    CatalogIndex index = new CatalogIndex();
    ActorRef<Topic.Command<CatalogIndexUpdater.ItemsChanged>> catalogChanges =
        system.systemActorOf(CatalogIndexUpdater.topic(), "catalog-changes", Props.empty());
    system.systemActorOf(
        parts.supervise(
            "catalog-index",
            CatalogIndexUpdater.create(
                index, catalogChanges, config.getDuration("pulse.catalog.index-refresh")),
            backoff),
        "catalog-index",
        Props.empty());
    ItemCatalog catalog =
        ItemCatalog.create(
            system,
            items -> {
              List<CatalogIndex.Entry> entries =
                  items.stream().map(CatalogIndex.Entry::of).toList();
              index.apply(entries);
              catalogChanges.tell(Topic.publish(new CatalogIndexUpdater.ItemsChanged(entries)));
            });

    // Model versions and the learner: the learner's stored versions are what every node serves.
    // The learner never prunes a version a running experiment pins; the experiments start later.
    AtomicReference<Experiments> experimentsLater = new AtomicReference<>();
    InferenceSettings inference = InferenceSettings.fromConfig(config, home);
    Optional<Learning> learning = Optional.empty();
    ActorRef<Topic.Command<ModelUpdate>> modelUpdates = null;
    if (config.getBoolean("pulse.learning.enabled")) {
      LearnerSettings learnerSettings = LearnerSettings.fromConfig(config);
      // The follower swaps stored versions in; the folder is read once, at start, for a node that
      // comes up before
      // the learner stored anything.
      inference = inference.withModelPoll(Duration.ZERO);
      ModelVersionStore store = ModelVersionStore.create(system, learnerSettings.modelName());
      modelUpdates = system.systemActorOf(ModelUpdate.topic(), "model-updates", Props.empty());
      learning =
          Optional.of(
              new Learning(
                  startLearner(
                      system,
                      learnerSettings,
                      store,
                      inference,
                      modelUpdates,
                      () -> {
                        Experiments e = experimentsLater.get();
                        return e == null ? Set.of() : e.pinnedVersions();
                      }),
                  store,
                  learnerSettings));
    }

    // The inference pool; the version it serves is reported to the learner (update latency, GET
    // /v1/model).
    String self = Cluster.get(system).selfMember().address().toString();
    Consumer<String> servingReports =
        learning
            .<Consumer<String>>map(
                l ->
                    version ->
                        l.learner()
                            .tell(
                                new OnlineLearner.NodeServes(
                                    self, version, System.currentTimeMillis())))
            .orElse(version -> {});
    AtomicReference<String> servingNow = new AtomicReference<>();
    servingReports = servingReports.andThen(servingNow::set);
    ActorRef<InferencePool.Command> pool =
        system.systemActorOf(
            parts.supervise(
                "inference-pool",
                InferencePool.create(
                    inference, index, new MeteredPoolObserver(metrics, servingReports)),
                backoff),
            "inference-pool",
            Props.empty());
    if (learning.isPresent()) {
      system.systemActorOf(
          parts.supervise(
              "model-follower",
              ModelFollower.create(
                  pool,
                  learning.get().store(),
                  modelUpdates,
                  inference,
                  config.getDuration("pulse.learning.reconcile-interval")),
              backoff),
          "model-follower",
          Props.empty());
    }

    // What happens to every persisted event on this node: trending items (counted here, and
    // shared with the other nodes so that every node serves the cluster's).
    TrendingSettings trendingSettings = TrendingSettings.fromConfig(config);
    MergedTrending trending = new MergedTrending(trendingSettings);
    system.systemActorOf(
        ClusterTrending.create(trending, trendingSettings.sharing(), clock),
        "cluster-trending",
        Props.empty());
    PersistedEvents persistedEvents = events -> feedTrending(trending, events);
    // The feedback topic for learning is fed from the journal (this node runs its share of the
    // outbox's projections), so no persisted event misses it.
    // The experiment analyst reads it too, so it is fed when either reader is on.
    String feedbackTopic = config.getString("pulse.learning.topic");
    boolean analyst = config.getBoolean("pulse.experiments.analyst.enabled");
    if (OutboxTags.from(config).count() > 0) {
      FeedbackOutbox.start(
          system,
          FeedbackOutbox.settings(config, feedbackTopic),
          UserEntity::recordedIn,
          new OutboxMetrics(metrics.registry()));
    }

    // The user actors (shards are the user-events topic's partitions), and the ingest road into
    // them.
    int partitions = userShards(system, config.getString("pulse.ingest.kafka.topic"));
    Users users = Users.init(system, partitions, clock, pool, persistedEvents);
    // The parts' own figures on /metrics: live users and shards on this node, and the Cassandra
    // driver's session metrics once the journal's session is up.
    ShardingMetrics.bind(
        system,
        metrics.registry(),
        List.of(UserEntity.TYPE_KEY),
        config.getDuration("pulse.metrics.sharding-interval"));
    CassandraStore.session(system)
        .underlying()
        .thenAccept(session -> CassandraDriverMetrics.bind(session, metrics.registry()));
    EventIngest ingest = new EventIngest(users::record, catalog.asCategoryLookup());
    if (config.getBoolean("pulse.ingest.kafka.enabled")) {
      KafkaIngest.start(system, ingest, clock);
    }

    // The experiments every node assigns users by (kept in Cassandra; the node is not ready before
    // it has loaded them).
    Experiments experiments =
        Experiments.start(
            system,
            new ExperimentStore(CassandraStore.session(system), CassandraStore.keyspace(system)),
            pinnableVersions(servingNow, learning),
            clock,
            config.getDuration("pulse.experiments.refresh-interval"));
    // Pinned variants' versions, held by every node's pool beside the current one.
    if (learning.isPresent()) {
      system.systemActorOf(
          parts.supervise(
              "pinned-versions",
              PinnedVersions.create(
                  pool,
                  learning.get().store(),
                  inference,
                  experiments::pinnedVersions,
                  config.getDuration("pulse.experiments.pin-interval")),
              backoff),
          "pinned-versions",
          Props.empty());
    }
    experimentsLater.set(experiments);
    Optional<ActorRef<ExperimentAnalyst.Command>> analysts =
        analyst
            ? Optional.of(ExperimentAnalyst.init(system, experiments, feedbackTopic))
            : Optional.empty();
    // Canary rollouts judge the analyst's figures and promote through the learner: both needed.
    Optional<ActorRef<RolloutController.Command>> rollouts = Optional.empty();
    if (learning.isPresent() && analysts.isPresent()) {
      ActorRef<OnlineLearner.Command> learner = learning.get().learner();
      rollouts =
          Optional.of(
              RolloutController.init(
                  system,
                  new RolloutController.Parts(
                      experiments,
                      analysts.get(),
                      learning.get().store(),
                      version ->
                          AskPattern.askWithStatus(
                              learner,
                              r -> new OnlineLearner.Rollback(version, r),
                              Duration.ofSeconds(50),
                              system.scheduler()),
                      config.getDuration("pulse.experiments.rollout-tick"),
                      clock)));
    }
    RecommendationService recommendations =
        new RecommendationService(
            users,
            experiments,
            ingest,
            index,
            trending.view(),
            clock,
            inference.deadline(),
            inference.retryAfter(),
            config.getBoolean("pulse.recommend.record-impressions"),
            result -> {
              if (result.fallbackReason() == null) {
                metrics.recommendedByModel();
              } else {
                metrics.recommendedByFallback(result.fallbackReason());
              }
            },
            // A shadow variant's lists go to the analyst, which alone can judge them.
            analysts
                .<Consumer<ServedList>>map(
                    a -> list -> a.tell(new ExperimentAnalyst.ShadowServed(list)))
                .orElse(null));
    return new PulseEngine(
        users,
        catalog,
        ingest,
        recommendations,
        experiments,
        analysts,
        rollouts,
        pool,
        inference,
        learning);
  }

  /** Pinned versions come from the version store, which only exists with online learning on. */
  private static Experiments.Versions pinnableVersions(
      AtomicReference<String> servingNow, Optional<Learning> learning) {
    return new Experiments.Versions() {
      @Override
      public String servingNow() {
        return servingNow.get();
      }

      @Override
      public CompletionStage<Optional<String>> problemWith(String version) {
        if (learning.isEmpty()) {
          return CompletableFuture.completedFuture(
              Optional.of(
                  "pinned versions are loaded from the version store, which online learning"
                      + " keeps, and pulse.learning.enabled is off"));
        }
        return learning
            .get()
            .store()
            .find(version)
            .thenApply(
                found ->
                    found.isEmpty()
                        ? Optional.of("no stored model version " + version)
                        : found.get().status() != VersionStatus.GOOD
                                && found.get().status() != VersionStatus.CANDIDATE
                            ? Optional.of(
                                "version "
                                    + version
                                    + " is "
                                    + found.get().status().storedName()
                                    + ", not servable")
                            : Optional.empty());
      }
    };
  }

  private static ActorRef<OnlineLearner.Command> startLearner(
      ActorSystem<?> system,
      LearnerSettings settings,
      ModelVersionStore store,
      InferenceSettings inference,
      ActorRef<Topic.Command<ModelUpdate>> updates,
      Supplier<Set<String>> experimentPins) {
    LearnerMetrics metrics = new LearnerMetrics(PulseMetrics.get(system).registry());
    RecoverySettings recovery = RecoverySettings.fromConfig(system.settings().config());
    // One learner in the cluster, on its own dispatcher; every node holds a proxy to it.
    return ClusterSingleton.get(system)
        .init(
            SingletonActor.of(
                    Behaviors.supervise(
                            OnlineLearner.create(
                                settings,
                                store,
                                inference.modelDir(),
                                updates,
                                metrics,
                                recovery,
                                Users.recentReader(system, recovery.historyTimeout())::apply,
                                experimentPins))
                        .onFailure(
                            SupervisorStrategy.restartWithBackoff(
                                Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)),
                    "online-learner")
                .withProps(DispatcherSelector.fromConfig("pulse.learning.dispatcher")));
  }

  /**
   * The user-events topic's partition count, as the broker has it; a configured count that differs
   * stops the node. A broker that does not answer in time leaves the configured count, so a node
   * can start (and serve) during a Kafka outage.
   */
  private static int userShards(ActorSystem<?> system, String topic) {
    Config config = system.settings().config();
    int configured = KafkaTopics.partitions(config, topic);
    OptionalInt onBroker =
        KafkaTopics.partitionsOnBroker(
            config, topic, config.getDuration("pulse.kafka.partitions-timeout"));
    if (onBroker.isEmpty()) {
      system
          .log()
          .warn(
              "the broker did not say how many partitions {} has; using the {} that"
                  + " pulse.kafka.topics declares",
              topic,
              configured);
    }
    return KafkaTopics.shardCount(topic, configured, onBroker);
  }

  private static void feedTrending(MergedTrending trending, List<RecordedEvent> events) {
    for (RecordedEvent in : events) {
      trending.record(
          in.event().itemId(), in.categories(), in.event().type(), in.event().timestamp());
    }
  }

  public Users users() {
    return users;
  }

  public ItemCatalog catalog() {
    return catalog;
  }

  public EventIngest ingest() {
    return ingest;
  }

  public RecommendationService recommendations() {
    return recommendations;
  }

  public Experiments experiments() {
    return experiments;
  }

  /** The proxy to the cluster's rollout controller; empty without learning or the analyst. */
  public Optional<ActorRef<RolloutController.Command>> rollouts() {
    return rollouts;
  }

  /** The proxy to the cluster's experiment analyst; empty when pulse.experiments.analyst is off. */
  public Optional<ActorRef<ExperimentAnalyst.Command>> analyst() {
    return analyst;
  }

  public ActorRef<InferencePool.Command> pool() {
    return pool;
  }

  /** Where this node's models come from (GET /v1/model names the folder). */
  public Path modelDir() {
    return inference.modelDir();
  }

  public Optional<Learning> learning() {
    return learning;
  }

  /**
   * Forgets a user everywhere the node holds them: the user actor deletes its events and snapshots,
   * then the learner drops its history. Completes when the events are gone.
   */
  public CompletionStage<Done> forget(String userId) {
    return users
        .forget(userId)
        .thenApply(
            done -> {
              learning.ifPresent(l -> l.learner().tell(new OnlineLearner.ForgetUser(userId)));
              return done;
            });
  }
}
