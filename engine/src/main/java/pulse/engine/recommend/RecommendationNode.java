package pulse.engine.recommend;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.pubsub.Topic;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import pulse.engine.catalog.CatalogIndex;
import pulse.engine.catalog.CatalogIndexUpdater;
import pulse.engine.catalog.ItemCatalog;
import pulse.engine.inference.InferencePool;
import pulse.engine.inference.InferenceSettings;
import pulse.engine.ingest.EventIngest;
import pulse.engine.metrics.PulseMetrics;
import pulse.engine.user.UserEntity;
import pulse.engine.user.Users;

/**
 * The recommendation side of one node, wired: the catalog index (and the topic that keeps every node's index
 * current), trending items fed by the events this node persists, the inference pool the user actors living
 * here hand their requests to, and the service the HTTP routes call. Start the pool before the user actors,
 * which need its reference.
 */
public final class RecommendationNode {
  private static final java.util.Map<String, PulseMetrics.FallbackReason> FALLBACK_REASONS =
      java.util.Arrays.stream(PulseMetrics.FallbackReason.values())
          .collect(java.util.stream.Collectors.toMap(PulseMetrics.FallbackReason::label, r -> r));
  private final CatalogIndex catalogIndex;
  private final Trending trending;
  private final ActorRef<InferencePool.Command> pool;
  private final InferenceSettings settings;
  private final PulseMetrics metrics;
  private final ActorRef<Topic.Command<CatalogIndexUpdater.ItemsChanged>> topic;
  private final boolean recordImpressions;
  private final java.util.List<java.util.function.Consumer<String>> servingListeners;

  private RecommendationNode(CatalogIndex catalogIndex, Trending trending, ActorRef<InferencePool.Command> pool,
      InferenceSettings settings, PulseMetrics metrics,
      ActorRef<Topic.Command<CatalogIndexUpdater.ItemsChanged>> topic, boolean recordImpressions,
      java.util.List<java.util.function.Consumer<String>> servingListeners) {
    this.servingListeners = servingListeners;
    this.topic = topic;
    this.recordImpressions = recordImpressions;
    this.catalogIndex = catalogIndex;
    this.trending = trending;
    this.pool = pool;
    this.settings = settings;
    this.metrics = metrics;
  }

  /** Starts the catalog index and the inference pool (models from {@code pulse.model.dir}, relative to home). */
  public static RecommendationNode start(ActorSystem<?> system, Path home) {
    Config config = system.settings().config();
    PulseMetrics metrics = PulseMetrics.get(system);
    CatalogIndex index = new CatalogIndex();
    ActorRef<Topic.Command<CatalogIndexUpdater.ItemsChanged>> topic =
        system.systemActorOf(CatalogIndexUpdater.topic(), "catalog-changes", Props.empty());
    system.systemActorOf(CatalogIndexUpdater.create(index, topic, config.getDuration("pulse.catalog.index-refresh")),
        "catalog-index", Props.empty());
    InferenceSettings settings = InferenceSettings.fromConfig(config, home);
    if (config.getBoolean("pulse.learning.enabled")) {
      // The learner's stored versions are what every node serves (its follower swaps them in); the folder is
      // read once, at start, for a node that comes up before the learner stored anything.
      settings = settings.withModelPoll(java.time.Duration.ZERO);
    }
    java.util.List<java.util.function.Consumer<String>> servingListeners =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger queued = new java.util.concurrent.atomic.AtomicInteger();
    metrics.registerInferenceQueueDepth(queued::get);
    InferencePool.Observer observer = new InferencePool.Observer() {
      @Override
      public void queueDepth(int depth) {
        queued.set(depth);
      }

      @Override
      public void queueWait(double seconds) {
        metrics.inferenceQueueWait(seconds);
      }

      @Override
      public void modelCall(int batchSize, double seconds) {
        metrics.inferenceBatch(batchSize, seconds);
      }

      @Override
      public void timedOut() {
        metrics.inferenceTimedOut();
      }

      @Override
      public void rejected() {
        metrics.inferenceRejected();
      }

      @Override
      public void serving(String version) {
        metrics.servingModelVersion(version);
        servingListeners.forEach(l -> l.accept(version));
      }
    };
    ActorRef<InferencePool.Command> pool =
        system.systemActorOf(InferencePool.create(settings, index, observer), "inference-pool", Props.empty());
    Trending trending = new Trending(TrendingSettings.fromConfig(config));
    return new RecommendationNode(index, trending, pool, settings, metrics, topic,
        config.getBoolean("pulse.recommend.record-impressions"), servingListeners);
  }

  /** Catalog upserts through this node reach every node's index; persisted events feed trending. */
  public void connect(ItemCatalog catalog, EventIngest ingest) {
    catalog.addUpsertListener(items -> topic.tell(Topic.publish(new CatalogIndexUpdater.ItemsChanged(
        items.stream().map(CatalogIndex.Entry::of).toList()))));
    catalog.addUpsertListener(items -> catalogIndex.apply(items.stream().map(CatalogIndex.Entry::of).toList()));
    ingest.addPersistedListener(this::feedTrending);
  }

  private void feedTrending(List<UserEntity.IncomingEvent> events) {
    for (UserEntity.IncomingEvent in : events) {
      if (in.event().itemId() != null) {
        trending.record(in.event().itemId(), in.categories(), in.event().type(), in.event().timestamp());
      }
    }
  }

  public RecommendationService service(Users users, Clock clock) {
    return new RecommendationService(users, catalogIndex, trending, clock, settings.deadline(), settings.retryAfter(),
        recordImpressions, result -> {
          if (result.fallback() == null) {
            metrics.recommendedByModel();
          } else {
            PulseMetrics.FallbackReason reason = FALLBACK_REASONS.get(result.fallbackReason());
            if (reason != null) {
              metrics.recommendedByFallback(reason);
            }
          }
        });
  }

  /** Called with the version the pool serves whenever it changes (a load, a swap, a delta). */
  public void onServing(java.util.function.Consumer<String> listener) {
    servingListeners.add(listener);
  }

  public ActorRef<InferencePool.Command> pool() {
    return pool;
  }

  public CatalogIndex catalogIndex() {
    return catalogIndex;
  }

  public Trending trending() {
    return trending;
  }

  public InferenceSettings settings() {
    return settings;
  }
}
