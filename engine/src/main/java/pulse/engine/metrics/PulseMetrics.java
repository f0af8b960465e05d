package pulse.engine.metrics;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import com.fasterxml.jackson.annotation.JsonValue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * The node's metrics, named in one place, on one Micrometer {@link PrometheusMeterRegistry} per
 * actor system ({@link #get}) so the engine, the HTTP layer and the binders (JVM, Kafka clients,
 * Cassandra driver, sharding) write to the registry that {@code GET /metrics} scrapes. The
 * constants are the exported Prometheus names (Micrometer adds {@code _total} to counters and
 * {@code _seconds} to timers; the meters are named without them). Series with fixed labels are
 * resolved once here, so recording them is an adder increment.
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
  public static final String MODEL_VERSION_INFO = "pulse_model_version";
  public static final String EVENTS_INGESTED = "pulse_events_ingested_total";
  public static final String READY = "pulse_ready";
  public static final String DEGRADED = "pulse_degraded";
  public static final String READINESS_CHECK = "pulse_readiness_check_ok";

  /** The {@code version} of {@value #MODEL_VERSION_INFO} while the node serves no model. */
  public static final String NO_MODEL = "none";

  /** Values of {@code source} on {@value #EVENTS_INGESTED}. */
  public static final String SOURCE_HTTP = "http";

  public static final String SOURCE_KAFKA = "kafka";

  /**
   * Serving is millisecond-scale, so the buckets are dense from 0.5 ms up and stop at 10 s (a stuck
   * call).
   */
  static final Duration[] LATENCY_BUCKETS =
      Arrays.stream(
              new double[] {
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
              })
          .mapToObj(s -> Duration.ofNanos((long) (s * 1e9)))
          .toArray(Duration[]::new);

  private static final double[] BATCH_SIZE_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256};

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
    NO_CANDIDATES("no_candidates"),
    /** The user's experiment variant serves trending items (the usual control). */
    EXPERIMENT_VARIANT("experiment_variant");

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
      return new PulseMetrics(newRegistry());
    }
  }

  private static final Id ID = new Id();

  private final PrometheusMeterRegistry registry;
  private final Map<String, Counter> httpRequests = new ConcurrentHashMap<>();
  private final Map<String, Timer> httpDuration = new ConcurrentHashMap<>();
  private final DistributionSummary batchSize;
  private final DistributionSummary currentSlices;
  private final DistributionSummary pinnedSlices;
  private final AtomicLong currentModelBytes = new AtomicLong();
  private final AtomicLong pinnedModelBytes = new AtomicLong();
  private final Timer queueWait;
  private final Timer modelTime;
  private final Counter timeouts;
  private final Counter rejections;
  private final Counter byModel;
  private final Counter byFallback;
  private final EnumMap<FallbackReason, Counter> fallbacks = new EnumMap<>(FallbackReason.class);
  private final Map<String, Counter> eventsIngested = new ConcurrentHashMap<>();
  private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();
  private final Counter persistRetries;
  private final Counter consumerRestarts;
  private final Map<String, Counter> supervisedRestarts = new ConcurrentHashMap<>();
  private final Map<String, Counter> keyRequests = new ConcurrentHashMap<>();
  private final Counter userJournalFailures;
  private final Map<String, Counter> rateLimited = new ConcurrentHashMap<>();
  private final AtomicInteger ready = new AtomicInteger();
  private final AtomicInteger degraded = new AtomicInteger();
  private final Map<String, AtomicInteger> readinessChecks = new ConcurrentHashMap<>();
  private final AtomicReference<IntSupplier> queueDepth = new AtomicReference<>(() -> 0);
  private Gauge servingVersion;

  /** The node's metrics in its actor system. */
  public static PulseMetrics get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** A registry with the JVM's and the process's standard binders (memory, GC, threads, ...). */
  public static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }

  /** Outside an actor system (tests, tools): the same metrics on a registry of the caller's. */
  public PulseMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    batchSize =
        DistributionSummary.builder("pulse_inference_batch_size")
            .description("Requests per inference batch.")
            .serviceLevelObjectives(BATCH_SIZE_BUCKETS)
            .register(registry);
    currentSlices = slices(registry, "current");
    pinnedSlices = slices(registry, "pinned");
    for (Map.Entry<String, AtomicLong> held :
        Map.of("current", currentModelBytes, "pinned", pinnedModelBytes).entrySet()) {
      Gauge.builder("pulse_inference_held_model_bytes", held.getValue(), AtomicLong::get)
          .description(
              "Variable bytes (weights and optimizer slots) of the models the pool holds: the"
                  + " current one, and all pinned experiment versions together.")
          .baseUnit("bytes")
          .tag("model", held.getKey())
          .register(registry);
    }
    queueWait =
        timer(
            "pulse_inference_queue_wait",
            "Time a request waited for its inference batch to start.");
    modelTime = timer("pulse_inference_model", "Time the model took per inference batch.");
    timeouts =
        counter("pulse_inference_timeouts", "Inference requests that did not finish in time.");
    rejections =
        counter(
            "pulse_inference_rejections",
            "Inference requests turned away because the queue was full.");
    String answers = "Recommendation answers, by where they came from (model or fallback).";
    byModel = counter("pulse_recommendations", answers, "result", "model");
    byFallback = counter("pulse_recommendations", answers, "result", "fallback");
    for (FallbackReason r : FallbackReason.values()) {
      fallbacks.put(
          r,
          counter(
              "pulse_recommendation_fallbacks",
              "Recommendation answers that came from the fallback, by reason.",
              "reason",
              r.label()));
    }
    persistRetries =
        counter(
            "pulse_ingest_persist_retries",
            "Kafka ingest persists tried again after some user's events could not be persisted"
                + " (Cassandra away, a persist timing out); each retry backs off.");
    consumerRestarts =
        counter(
            "pulse_ingest_consumer_restarts",
            "Restarts of this node's user-events consumer after a failure (with backoff).");
    userJournalFailures =
        counter(
            "pulse_user_journal_failures",
            "User actors restarted (with the persist-failure backoff) because their journal failed"
                + " them: an event write or the recovery's read (Cassandra away or too slow).");
    Gauge.builder(READY, ready, AtomicInteger::get)
        .description("1 when the node takes traffic (its last readiness check passed), else 0.")
        .register(registry);
    Gauge.builder(DEGRADED, degraded, AtomicInteger::get)
        .description(
            "1 when the node is ready but a part it can serve without (Kafka) is away, else 0.")
        .register(registry);
    Gauge.builder(INFERENCE_QUEUE_DEPTH, queueDepth, d -> d.get().getAsInt())
        .description("Requests waiting for inference.")
        .register(registry);
    for (String source : new String[] {SOURCE_HTTP, SOURCE_KAFKA}) {
      eventsIngested(source, 0); // both series exist from the start, at 0
    }
    // "none" until the pool serves a model: the series exists from the start, so a rule comparing
    // versions across nodes sees a node that serves nothing.
    servingModelVersion(NO_MODEL);
  }

  /** The registry to scrape, and to bind more meters to. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  private Counter counter(String name, String help, String... tags) {
    return Counter.builder(name).description(help).tags(tags).register(registry);
  }

  private Timer timer(String name, String help, String... tags) {
    return Timer.builder(name)
        .description(help)
        .tags(tags)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
  }

  /**
   * One answered request; {@code endpoint} is the route template (e.g. "GET
   * /v1/users/{id}/features").
   */
  public void httpRequest(String endpoint, int status, double seconds) {
    httpRequests
        .computeIfAbsent(
            endpoint + " " + status,
            k ->
                counter(
                    "pulse_http_requests",
                    "HTTP requests answered, by endpoint template and status.",
                    "endpoint",
                    endpoint,
                    "status",
                    Integer.toString(status)))
        .increment();
    httpDuration
        .computeIfAbsent(
            endpoint,
            e ->
                timer(
                    "pulse_http_request_duration",
                    "Time from routing a request to its response being ready, by endpoint template.",
                    "endpoint",
                    e))
        .record(nanos(seconds), TimeUnit.NANOSECONDS);
  }

  private static long nanos(double seconds) {
    return (long) (seconds * 1e9);
  }

  private static DistributionSummary slices(PrometheusMeterRegistry registry, String model) {
    return DistributionSummary.builder("pulse_inference_model_slice_size")
        .description(
            "Requests per encoder call, by the model that computed them: a batch is cut into one"
                + " slice per model, so a pinned experiment version batches only with its own"
                + " requests.")
        .tag("model", model)
        .serviceLevelObjectives(BATCH_SIZE_BUCKETS)
        .register(registry);
  }

  /** One encoder call's slice of a batch, for the current model or a pinned version. */
  public void inferenceSlice(boolean pinned, int size) {
    (pinned ? pinnedSlices : currentSlices).record(size);
  }

  public void heldModelBytes(long current, long pinned) {
    currentModelBytes.set(current);
    pinnedModelBytes.set(pinned);
  }

  public void inferenceBatch(int size, double modelSeconds) {
    batchSize.record(size);
    modelTime.record(nanos(modelSeconds), TimeUnit.NANOSECONDS);
  }

  public void inferenceQueueWait(double seconds) {
    queueWait.record(nanos(seconds), TimeUnit.NANOSECONDS);
  }

  /** The inference queue's depth, read at scrape time; a later call replaces the source. */
  public void registerInferenceQueueDepth(IntSupplier depth) {
    queueDepth.set(depth);
  }

  public void inferenceTimedOut() {
    timeouts.increment();
  }

  public void inferenceRejected() {
    rejections.increment();
  }

  public void recommendedByModel() {
    byModel.increment();
  }

  /** Counts the answer as a fallback one, and why. */
  public void recommendedByFallback(FallbackReason reason) {
    byFallback.increment();
    fallbacks.get(reason).increment();
  }

  /**
   * Marks {@code version} as the one served (1) and drops the previous one, as an info metric does.
   */
  public synchronized void servingModelVersion(String version) {
    if (servingVersion != null) {
      if (servingVersion.getId().getTag("version").equals(version)) {
        return;
      }
      registry.remove(servingVersion);
    }
    servingVersion =
        Gauge.builder("pulse_model_version", () -> 1)
            .description("The model version this node serves (value 1).")
            .tag("version", version)
            .register(registry);
  }

  /** One record sent to the dead-letter topic, and why (invalid, persist-failed). */
  public void deadLettered(String reason) {
    deadLettered
        .computeIfAbsent(
            reason,
            r ->
                counter(
                    "pulse_ingest_dead_lettered",
                    "Kafka records sent to the dead-letter topic, by reason: invalid (failed"
                        + " validation) or persist-failed (valid, but not persisted within the"
                        + " retry policy).",
                    "reason",
                    r))
        .increment();
  }

  public void ingestPersistRetried() {
    persistRetries.increment();
  }

  /** A user actor's journal write or recovery read failed; it restarts with backoff. */
  public void userJournalFailed() {
    userJournalFailures.increment();
  }

  /** A request with a valid key of {@code role}, named {@code key}, was let through. */
  public void keyCalled(String key, String role) {
    keyRequests
        .computeIfAbsent(
            key + " " + role,
            k ->
                counter(
                    "pulse_http_key_requests",
                    "API requests let through, by the key's name (its variable or keys-file name)"
                        + " and role.",
                    "key",
                    key,
                    "role",
                    role))
        .increment();
  }

  /** A request of {@code key} (or "anonymous") was refused with 429. */
  public void rateLimited(String key) {
    rateLimited
        .computeIfAbsent(
            key,
            k ->
                counter(
                    "pulse_http_rate_limited",
                    "API requests refused with 429, by the key's name (\"anonymous\": without a"
                        + " valid key).",
                    "key",
                    k))
        .increment();
  }

  /** A supervised part failed and is being restarted with backoff. */
  public void supervisedRestart(String part) {
    supervisedRestarts
        .computeIfAbsent(
            part,
            p ->
                counter(
                    "pulse_supervised_restarts",
                    "Restarts (with backoff) of a node's long-lived system actor after it failed, by"
                        + " part (inference-pool, model-follower, catalog-index).",
                    "part",
                    p))
        .increment();
  }

  public void consumerRestarted() {
    consumerRestarts.increment();
  }

  public void eventsIngested(String source, long n) {
    eventsIngested
        .computeIfAbsent(
            source,
            s ->
                counter(
                    "pulse_events_ingested",
                    "User events accepted for processing, by source.",
                    "source",
                    s))
        .increment(n);
  }

  /** The verdict of the node's last readiness check, as polled by the load balancer. */
  public void readiness(boolean isReady, boolean isDegraded, Map<String, Boolean> checks) {
    ready.set(isReady ? 1 : 0);
    degraded.set(isDegraded ? 1 : 0);
    checks.forEach(
        (component, ok) ->
            readinessChecks
                .computeIfAbsent(
                    component,
                    c -> {
                      AtomicInteger value = new AtomicInteger();
                      Gauge.builder(READINESS_CHECK, value, AtomicInteger::get)
                          .description(
                              "1 when a part passed the node's last readiness check, else 0, by"
                                  + " component.")
                          .tag("component", c)
                          .register(registry);
                      return value;
                    })
                .set(ok ? 1 : 0));
  }
}
