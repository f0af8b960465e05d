package pulse.engine.analysis;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import java.time.Duration;
import pulse.engine.feedback.FeedbackSettings;
import pulse.engine.metrics.PulseMetrics;
import pulse.engine.storage.CassandraStore;

/**
 * The experiment analyst's settings ({@code pulse.experiments.analyst}) and the parts it works
 * with.
 *
 * @param window how long after a list is served its clicks, carts and purchases count for it
 * @param lateness how far behind the newest event time read windows close
 * @param maxUsers users with open lists kept at most (the oldest finish early beyond it)
 * @param stopOnSampleRatioMismatch whether a running experiment whose lists per variant drift from
 *     its weights is stopped (off: the mismatch is only reported)
 */
record AnalystSettings(
    Duration window,
    Duration lateness,
    int maxUsers,
    boolean stopOnSampleRatioMismatch,
    Duration checkpointInterval,
    Duration restartBackoff,
    FeedbackSettings feedback,
    CheckpointStore store,
    AnalystGauges gauges) {

  static AnalystSettings of(ActorSystem<?> system, String feedbackTopic) {
    Config c = system.settings().config().getConfig("pulse.experiments.analyst");
    return new AnalystSettings(
        c.getDuration("attribution-window"),
        c.getDuration("lateness"),
        c.getInt("max-users"),
        c.getBoolean("stop-on-sample-ratio-mismatch"),
        c.getDuration("checkpoint-interval"),
        c.getDuration("restart-backoff"),
        new FeedbackSettings(
            feedbackTopic,
            c.getString("group-id"),
            c.getInt("batch-size"),
            c.getDuration("batch-window"),
            "experiment-analyst"),
        new CheckpointStore(
            CassandraStore.session(system), CassandraStore.keyspace(system), "experiments"),
        new AnalystGauges(PulseMetrics.get(system).registry()));
  }
}
