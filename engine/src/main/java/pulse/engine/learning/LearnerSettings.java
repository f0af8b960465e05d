package pulse.engine.learning;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Locale;
import pulse.engine.common.KafkaTopics;
import pulse.engine.feedback.FeedbackSettings;
import pulse.model.Optimizer;

/**
 * {@code pulse.learning} (the engine's pulse/engine/learning.conf).
 *
 * @param mode "on" learns; "frozen" only scores (test-then-train without the train: the baseline)
 * @param batchSize most feedback records per step; a step is also cut every {@code batchWindow}
 * @param learningRate of an incremental step of {@code learningRateExamples} examples (see {@link
 *     #stepLearningRate})
 * @param optimizer adam or sgd
 * @param everything false: only the item-embedding rows touched by the step move; true: every
 *     weight
 * @param checkpointEvery every K-th version is stored whole (a checkpoint) rather than as a delta
 * @param window examples in the rolling prequential window
 * @param sessionThreads TensorFlow intra-op threads of the learner's model (0 = all cores)
 * @param learningRateExamples the step size {@code learningRate} is for
 * @param keepCheckpoints stored versions older than the K-th newest good checkpoint are pruned
 *     (except what a node serves and its chain)
 * @param updateHistory an update step sees at most this many of each history's newest items
 *     (scoring sees all {@code examples.maxHistory()})
 */
public record LearnerSettings(
    boolean enabled,
    String mode,
    String topic,
    int topicPartitions,
    String groupId,
    int batchSize,
    Duration batchWindow,
    double learningRate,
    Optimizer optimizer,
    boolean everything,
    int checkpointEvery,
    int window,
    double margin,
    double relativeMargin,
    long minExamples,
    String modelName,
    ExampleSettings examples,
    int sessionThreads,
    int updateHistory,
    int learningRateExamples,
    int keepCheckpoints) {

  /** The feedback topic and how this learner reads it. */
  public FeedbackSettings feedback() {
    return new FeedbackSettings(topic, groupId, batchSize, batchWindow, "learner");
  }

  public boolean learns() {
    return mode.equals("on");
  }

  /**
   * The rate of a step of {@code examples} examples: {@code learningRate * examples /
   * learningRateExamples}. The loss is a mean over the step's examples, so at one rate for every
   * step an example of a 2-example step would move the model 30 times as far as one of a 60-example
   * step, and a stream's steps come in every size (what arrived in the batch window, more after a
   * slow step). On the MovieLens replay with steps of 1 to 128 examples, one rate for all halved
   * what learning gained over frozen (+1.3% NDCG@10 against +2.4%).
   */
  public double stepLearningRate(int examples) {
    return learningRate * examples / learningRateExamples;
  }

  public static LearnerSettings fromConfig(Config config) {
    Config c = config.getConfig("pulse.learning");
    String topic = c.getString("topic");
    int partitions = KafkaTopics.partitions(config, topic);
    String mode = c.getString("mode");
    if (!mode.equals("on") && !mode.equals("frozen")) {
      throw new IllegalArgumentException("pulse.learning.mode must be on or frozen, was " + mode);
    }
    String scope = c.getString("parameters");
    if (!scope.equals("item-rows") && !scope.equals("everything")) {
      throw new IllegalArgumentException(
          "pulse.learning.parameters must be item-rows or everything, was " + scope);
    }
    int updateHistory = c.getInt("update-history");
    if (updateHistory < 1) {
      throw new IllegalArgumentException(
          "pulse.learning.update-history must be at least 1, was " + updateHistory);
    }
    int learningRateExamples = c.getInt("learning-rate-examples");
    if (learningRateExamples < 1) {
      throw new IllegalArgumentException(
          "pulse.learning.learning-rate-examples must be at least 1, was " + learningRateExamples);
    }
    Config e = c.getConfig("examples");
    ExampleSettings examples =
        new ExampleSettings(
            e.getInt("max-users"),
            e.getInt("max-history"),
            e.getInt("max-negatives"),
            e.getInt("max-pending-impressions"),
            e.getDuration("impression-horizon"),
            e.getDuration("impression-max-age"),
            e.getInt("recent-event-ids"));
    return new LearnerSettings(
        c.getBoolean("enabled"),
        mode,
        topic,
        partitions,
        c.getString("group-id"),
        c.getInt("batch-size"),
        c.getDuration("batch-window"),
        c.getDouble("learning-rate"),
        Optimizer.valueOf(c.getString("optimizer").toUpperCase(Locale.ROOT)),
        scope.equals("everything"),
        c.getInt("checkpoint-every"),
        c.getInt("window"),
        c.getDouble("guardrail.margin"),
        c.getDouble("guardrail.relative-margin"),
        c.getLong("guardrail.min-examples"),
        c.getString("model-name"),
        examples,
        c.getInt("session-threads"),
        updateHistory,
        learningRateExamples,
        c.getInt("keep-checkpoints"));
  }
}
