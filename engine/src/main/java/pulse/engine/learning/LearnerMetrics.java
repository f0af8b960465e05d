package pulse.engine.learning;

import java.util.concurrent.atomic.AtomicLong;
import pulse.engine.metrics.Counter;
import pulse.engine.metrics.Histogram;
import pulse.engine.metrics.Metrics;

/** The learner's figures in the node's registry (scraped on the node that runs the learner). */
public final class LearnerMetrics {
  private static final double[] SECONDS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
  };

  private final Counter versions;
  private final Counter rejected;
  private final Counter rollbacks;
  private final Histogram stepTime;
  private final Histogram updateLatency;
  private final Counter streamRestarts;
  private final Counter historyRebuilds;
  private final Counter historyRebuildFailures;
  private volatile boolean streamDown;
  private final AtomicLong examples = new AtomicLong();
  private volatile WindowMetrics window = WindowMetrics.EMPTY;
  private volatile boolean paused;

  public LearnerMetrics(Metrics registry) {
    versions =
        registry.counter(
            "pulse_learning_versions_total", "Model versions the online learner published.");
    rejected =
        registry.counter(
            "pulse_learning_rejected_total",
            "Versions the guardrail refused (NaN/Inf or a prequential drop); each rolls the cluster back and pauses.");
    rollbacks =
        registry.counter(
            "pulse_learning_rollbacks_total", "Cluster rollbacks (guardrail or requested).");
    stepTime =
        registry.histogram(
            "pulse_learning_step_seconds",
            "Time of one learning step: score, update, capture, store.",
            SECONDS);
    updateLatency =
        registry.histogram(
            "pulse_model_update_latency_seconds",
            "From the oldest event a version learned being accepted to every node serving that version.",
            SECONDS);
    registry.gauge(
        "pulse_learning_examples",
        "Examples the learner has seen since it started.",
        examples::get);
    registry.gauge(
        "pulse_learning_window_hr10",
        "Prequential HR@10 over the rolling window.",
        () -> window.hr10());
    registry.gauge(
        "pulse_learning_window_ndcg10",
        "Prequential NDCG@10 over the rolling window.",
        () -> window.ndcg10());
    streamRestarts =
        registry.counter(
            "pulse_learning_stream_restarts_total",
            "Feedback streams started again after one ended on its own (a failure), after a backoff.");
    registry.gauge(
        "pulse_learning_stream_down",
        "1 while the feedback stream is down and waits to be started again (not while paused).",
        () -> streamDown ? 1 : 0);
    historyRebuilds =
        registry.counter(
            "pulse_learning_history_rebuilds_total",
            "Users the learner did not know whose history it asked their user entity for.");
    historyRebuildFailures =
        registry.counter(
            "pulse_learning_history_rebuild_failures_total",
            "Of those, asks that failed or timed out: the user went on without history.");
    registry.gauge(
        "pulse_learning_paused",
        "1 while learning is paused (by request or by the guardrail).",
        () -> paused ? 1 : 0);
  }

  void examples(long seen, WindowMetrics w) {
    examples.set(seen);
    window = w;
  }

  void version(double stepSeconds) {
    versions.inc();
    stepTime.observe(stepSeconds);
  }

  void rejected() {
    rejected.inc();
  }

  void rolledBack() {
    rollbacks.inc();
  }

  void paused(boolean p) {
    paused = p;
  }

  void streamDown(boolean down) {
    streamDown = down;
  }

  void streamRestarted() {
    streamRestarts.inc();
  }

  void historyRebuilt(int users, int failures) {
    historyRebuilds.inc(users);
    historyRebuildFailures.inc(failures);
  }

  void updateLatency(double seconds) {
    updateLatency.observe(seconds);
  }
}
