package pulse.engine.metrics;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The node's metrics, named in one place, on one {@link Metrics} per actor system ({@link #get}) so
 * the engine and the HTTP layer write to the same registry that {@code GET /metrics} scrapes. The
 * methods are the hot-path calls: series with fixed labels are resolved once here, so recording
 * them is an adder increment.
 */
public final class PulseMetrics implements Extension {
  public static final String HTTP_REQUESTS = "pulse_http_requests_total";
  public static final String HTTP_REQUEST_DURATION = "pulse_http_request_duration_seconds";
  public static final String INFERENCE_BATCH_SIZE = "pulse_inference_batch_size";
  public static final String INFERENCE_QUEUE_WAIT = "pulse_inference_queue_wait_seconds";
  public static final String INFERENCE_MODEL_TIME = "pulse_inference_model_seconds";
  public static final String INFERENCE_QUEUE_DEPTH = "pulse_inference_queue_depth";
  public static final String INFERENCE_TIMEOUTS = "pulse_inference_timeouts_total";
  public static final String INFERENCE_REJECTIONS = "pulse_inference_rejections_total";
  public static final String RECOMMENDATIONS = "pulse_recommendations_total";
  public static final String RECOMMENDATION_FALLBACKS = "pulse_recommendation_fallbacks_total";
  public static final String MODEL_VERSION_INFO = "pulse_model_version_info";
  public static final String EVENTS_INGESTED = "pulse_events_ingested_total";
  public static final String READY = "pulse_ready";
  public static final String DEGRADED = "pulse_degraded";
  public static final String READINESS_CHECK = "pulse_readiness_check_ok";

  /** Values of {@code source} on {@value #EVENTS_INGESTED}. */
  public static final String SOURCE_HTTP = "http";

  public static final String SOURCE_KAFKA = "kafka";

  /**
   * Serving is millisecond-scale, so the buckets are dense from 0.5 ms up and stop at 10 s (a stuck
   * call).
   */
  private static final double[] LATENCY_BUCKETS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  private static final double[] BATCH_SIZE_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256};

  /** Status codes as label values, made once rather than per request. */
  private static final String[] STATUS_LABELS = new String[600];

  static {
    for (int s = 100; s < STATUS_LABELS.length; s++) {
      STATUS_LABELS[s] = Integer.toString(s);
    }
  }

  /** Why a recommendation came from the fallback (trending items) instead of the model. */
  public enum FallbackReason {
    NO_HISTORY("no_history"),
    NO_MODEL("no_model"),
    TIMEOUT("timeout"),
    MODEL_ERROR("model_error"),
    /**
     * The model answered, but none of its items was still available (or in the category) at answer
     * time.
     */
    NO_CANDIDATES("no_candidates");

    private final String label;

    FallbackReason(String label) {
      this.label = label;
    }

    /** The metric label, and the reason's name in the HTTP answer. */
    @JsonValue
    public String label() {
      return label;
    }
  }

  private static final class Id extends ExtensionId<PulseMetrics> {
    @Override
    public PulseMetrics createExtension(ActorSystem<?> system) {
      return new PulseMetrics(new Metrics());
    }
  }

  private static final Id ID = new Id();

  private final Metrics registry;
  private final Counter httpRequests;
  private final Histogram httpDuration;
  private final Histogram.Child batchSize;
  private final Histogram.Child queueWait;
  private final Histogram.Child modelTime;
  private final Counter.Child timeouts;
  private final Counter.Child rejections;
  private final Counter.Child byModel;
  private final Counter.Child byFallback;
  private final EnumMap<FallbackReason, Counter.Child> fallbacks =
      new EnumMap<>(FallbackReason.class);
  private final Gauge modelVersion;
  private final Counter eventsIngested;
  private final Counter deadLettered;
  private final Counter persistRetries;
  private final Counter consumerRestarts;
  private final Counter supervisedRestarts;
  private final Counter keyRequests;
  private final Counter userJournalFailures;
  private final Counter rateLimited;
  private final Gauge ready;
  private final Gauge degraded;
  private final Gauge readinessChecks;
  private String servingVersion;

  /** The node's metrics in its actor system. */
  public static PulseMetrics get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Outside an actor system (tests, tools): the same metrics on a registry of the caller's. */
  public PulseMetrics(Metrics registry) {
    this.registry = registry;
    httpRequests =
        registry.counter(
            HTTP_REQUESTS,
            "HTTP requests answered, by endpoint template and status.",
            "endpoint",
            "status");
    httpDuration =
        registry.histogram(
            HTTP_REQUEST_DURATION,
            "Time from routing a request to its response being ready, by endpoint template.",
            LATENCY_BUCKETS,
            "endpoint");
    batchSize =
        registry
            .histogram(INFERENCE_BATCH_SIZE, "Requests per inference batch.", BATCH_SIZE_BUCKETS)
            .only();
    queueWait =
        registry
            .histogram(
                INFERENCE_QUEUE_WAIT,
                "Time a request waited for its inference batch to start.",
                LATENCY_BUCKETS)
            .only();
    modelTime =
        registry
            .histogram(
                INFERENCE_MODEL_TIME, "Time the model took per inference batch.", LATENCY_BUCKETS)
            .only();
    timeouts =
        registry
            .counter(INFERENCE_TIMEOUTS, "Inference requests that did not finish in time.")
            .labels();
    rejections =
        registry
            .counter(
                INFERENCE_REJECTIONS, "Inference requests turned away because the queue was full.")
            .labels();
    Counter recommendations =
        registry.counter(
            RECOMMENDATIONS,
            "Recommendation answers, by where they came from (model or fallback).",
            "result");
    byModel = recommendations.labels("model");
    byFallback = recommendations.labels("fallback");
    Counter reasons =
        registry.counter(
            RECOMMENDATION_FALLBACKS,
            "Recommendation answers that came from the fallback, by reason.",
            "reason");
    for (FallbackReason r : FallbackReason.values()) {
      fallbacks.put(r, reasons.labels(r.label()));
    }
    modelVersion =
        registry.gauge(
            MODEL_VERSION_INFO, "The model version this node serves (value 1).", "version");
    eventsIngested =
        registry.counter(
            EVENTS_INGESTED, "User events accepted for processing, by source.", "source");
    deadLettered =
        registry.counter(
            "pulse_ingest_dead_lettered_total",
            "Kafka records sent to the dead-letter topic, by reason: invalid (failed validation)"
                + " or persist-failed (valid, but not persisted within the retry policy).",
            "reason");
    persistRetries =
        registry.counter(
            "pulse_ingest_persist_retries_total",
            "Kafka ingest persists tried again after some user's events could not be persisted"
                + " (Cassandra away, a persist timing out); each retry backs off.");
    consumerRestarts =
        registry.counter(
            "pulse_ingest_consumer_restarts_total",
            "Restarts of this node's user-events consumer after a failure (with backoff).");
    supervisedRestarts =
        registry.counter(
            "pulse_supervised_restarts_total",
            "Restarts (with backoff) of a node's long-lived system actor after it failed, by part"
                + " (inference-pool, model-follower, catalog-index).",
            "part");
    userJournalFailures =
        registry.counter(
            "pulse_user_journal_failures_total",
            "User actors restarted (with the persist-failure backoff) because their journal failed"
                + " them: an event write or the recovery's read (Cassandra away or too slow).");
    keyRequests =
        registry.counter(
            "pulse_http_key_requests_total",
            "API requests let through, by the key's name (its variable or keys-file name) and role.",
            "key",
            "role");
    rateLimited =
        registry.counter(
            "pulse_http_rate_limited_total",
            "API requests refused with 429, by the key's name (\"anonymous\": without a valid key).",
            "key");
    ready =
        registry.gauge(
            READY, "1 when the node takes traffic (its last readiness check passed), else 0.");
    degraded =
        registry.gauge(
            DEGRADED,
            "1 when the node is ready but a part it can serve without (Kafka) is away, else 0.");
    readinessChecks =
        registry.gauge(
            READINESS_CHECK,
            "1 when a part passed the node's last readiness check, else 0, by component.",
            "component");
  }

  public Metrics registry() {
    return registry;
  }

  /**
   * One answered request; {@code endpoint} is the route template (e.g. "GET
   * /v1/users/{id}/features").
   */
  public void httpRequest(String endpoint, int status, double seconds) {
    String s =
        status >= 100 && status < STATUS_LABELS.length
            ? STATUS_LABELS[status]
            : Integer.toString(status);
    httpRequests.labels(endpoint, s).inc();
    httpDuration.labels(endpoint).observe(seconds);
  }

  public void inferenceBatch(int size, double modelSeconds) {
    batchSize.observe(size);
    modelTime.observe(modelSeconds);
  }

  public void inferenceQueueWait(double seconds) {
    queueWait.observe(seconds);
  }

  /** The inference queue's depth, read at scrape time; a later call replaces the source. */
  public void registerInferenceQueueDepth(IntSupplier depth) {
    registry.gauge(INFERENCE_QUEUE_DEPTH, "Requests waiting for inference.", depth::getAsInt);
  }

  public void inferenceTimedOut() {
    timeouts.inc();
  }

  public void inferenceRejected() {
    rejections.inc();
  }

  public void recommendedByModel() {
    byModel.inc();
  }

  /** Counts the answer as a fallback one, and why. */
  public void recommendedByFallback(FallbackReason reason) {
    byFallback.inc();
    fallbacks.get(reason).inc();
  }

  /**
   * Marks {@code version} as the one served (1) and drops the previous one, as an info metric does.
   */
  public synchronized void servingModelVersion(String version) {
    modelVersion.labels(version).set(1);
    if (servingVersion != null && !servingVersion.equals(version)) {
      modelVersion.remove(servingVersion);
    }
    servingVersion = version;
  }

  /** One record sent to the dead-letter topic, and why (invalid, persist-failed). */
  public void deadLettered(String reason) {
    deadLettered.labels(reason).inc();
  }

  public void ingestPersistRetried() {
    persistRetries.inc();
  }

  /** A user actor's journal write or recovery read failed; it restarts with backoff. */
  public void userJournalFailed() {
    userJournalFailures.inc();
  }

  /** A request with a valid key of {@code role}, named {@code key}, was let through. */
  public void keyCalled(String key, String role) {
    keyRequests.labels(key, role).inc();
  }

  /** A request of {@code key} (or "anonymous") was refused with 429. */
  public void rateLimited(String key) {
    rateLimited.labels(key).inc();
  }

  /** A supervised part failed and is being restarted with backoff. */
  public void supervisedRestart(String part) {
    supervisedRestarts.labels(part).inc();
  }

  public void consumerRestarted() {
    consumerRestarts.inc();
  }

  public void eventsIngested(String source, long n) {
    eventsIngested.labels(source).inc(n);
  }

  /** The verdict of the node's last readiness check, as polled by the load balancer. */
  public void readiness(boolean isReady, boolean isDegraded, Map<String, Boolean> checks) {
    ready.set(isReady ? 1 : 0);
    degraded.set(isDegraded ? 1 : 0);
    checks.forEach((component, ok) -> readinessChecks.labels(component).set(ok ? 1 : 0));
  }
}
