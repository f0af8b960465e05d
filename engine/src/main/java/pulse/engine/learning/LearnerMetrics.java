package pulse.engine.learning;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** The learner's figures in the node's registry (scraped on the node that runs the learner). */
public final class LearnerMetrics {
  private static final Duration[] SECONDS =
      Arrays.stream(new double[] {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30})
          .mapToObj(s -> Duration.ofNanos((long) (s * 1e9)))
          .toArray(Duration[]::new);

  private final Counter versions;
  private final Counter rejected;
  private final Counter rollbacks;
  private final Timer stepTime;
  private final Timer updateLatency;
  private final Counter streamRestarts;
  private final Counter historyRebuilds;
  private final Counter historyRebuildFailures;
  private volatile boolean streamDown;
  private final AtomicLong examples = new AtomicLong();
  private volatile WindowMetrics window = WindowMetrics.EMPTY;
  private volatile boolean paused;

  public LearnerMetrics(MeterRegistry registry) {
    versions =
        counter(
            registry, "pulse_learning_versions", "Model versions the online learner published.");
    rejected =
        counter(
            registry,
            "pulse_learning_rejected",
            "Versions the guardrail refused (NaN/Inf or a prequential drop); each rolls the cluster back and pauses.");
    rollbacks =
        counter(
            registry, "pulse_learning_rollbacks", "Cluster rollbacks (guardrail or requested).");
    stepTime =
        timer(
            registry,
            "pulse_learning_step",
            "Time of one learning step: score, update, capture, store.");
    updateLatency =
        timer(
            registry,
            "pulse_model_update_latency",
            "From the oldest event a version learned being accepted to every node serving that version.");
    gauge(
        registry,
        "pulse_learning_examples",
        "Examples the learner has seen since it started.",
        examples::get);
    gauge(
        registry,
        "pulse_learning_window_hr10",
        "Prequential HR@10 over the rolling window.",
        () -> window.hr10());
    gauge(
        registry,
        "pulse_learning_window_ndcg10",
        "Prequential NDCG@10 over the rolling window.",
        () -> window.ndcg10());
    streamRestarts =
        counter(
            registry,
            "pulse_learning_stream_restarts",
            "Feedback streams started again after one ended on its own (a failure), after a backoff.");
    gauge(
        registry,
        "pulse_learning_stream_down",
        "1 while the feedback stream is down and waits to be started again (not while paused).",
        () -> streamDown ? 1 : 0);
    historyRebuilds =
        counter(
            registry,
            "pulse_learning_history_rebuilds",
            "Users the learner did not know whose history it asked their user entity for.");
    historyRebuildFailures =
        counter(
            registry,
            "pulse_learning_history_rebuild_failures",
            "Of those, asks that failed or timed out: the user went on without history.");
    gauge(
        registry,
        "pulse_learning_paused",
        "1 while learning is paused (by request or by the guardrail).",
        () -> paused ? 1 : 0);
  }

  private static Counter counter(MeterRegistry registry, String name, String help) {
    return Counter.builder(name).description(help).register(registry);
  }

  private static Timer timer(MeterRegistry registry, String name, String help) {
    return Timer.builder(name).description(help).serviceLevelObjectives(SECONDS).register(registry);
  }

  private void gauge(MeterRegistry registry, String name, String help, Supplier<Number> value) {
    Gauge.builder(name, value).description(help).strongReference(true).register(registry);
  }

  void examples(long seen, WindowMetrics w) {
    examples.set(seen);
    window = w;
  }

  void version(double stepSeconds) {
    versions.increment();
    stepTime.record((long) (stepSeconds * 1e9), TimeUnit.NANOSECONDS);
  }

  void rejected() {
    rejected.increment();
  }

  void rolledBack() {
    rollbacks.increment();
  }

  void paused(boolean p) {
    paused = p;
  }

  void streamDown(boolean down) {
    streamDown = down;
  }

  void streamRestarted() {
    streamRestarts.increment();
  }

  void historyRebuilt(int users, int failures) {
    historyRebuilds.increment(users);
    historyRebuildFailures.increment(failures);
  }

  void updateLatency(double seconds) {
    updateLatency.record((long) (seconds * 1e9), TimeUnit.NANOSECONDS);
  }
}
