package pulse.engine.inference;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import pulse.model.Device;

/**
 * {@code pulse.inference} (the engine's pulse/engine/model.conf) and the model location from {@code
 * pulse.model}.
 *
 * @param workers encoder calls run at once (each on its own thread of the inference dispatcher)
 * @param batching max batch size, optional wait for a fuller batch, queue bound
 * @param deadline time budget of one recommendation, from the HTTP request's arrival; past it the
 *     caller gets the trending fallback
 * @param modelDir folder of exported model versions; the newest valid one is served
 * @param modelPoll how often the folder is checked for a newer version (zero: only at start)
 * @param sessionThreads TensorFlow intra-op threads per model (0: TensorFlow's default, all cores)
 * @param retryAfter the Retry-After a refused (queue full) request is told
 */
public record InferenceSettings(
    int workers,
    BatchingPolicy.Settings batching,
    Duration deadline,
    Path modelDir,
    Device device,
    Duration modelPoll,
    int sessionThreads,
    Duration retryAfter) {

  public InferenceSettings {
    if (workers < 1) {
      throw new IllegalArgumentException("pulse.inference.workers must be >= 1, was " + workers);
    }
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException(
          "pulse.inference.deadline must be positive, was " + deadline);
    }
  }

  public static InferenceSettings fromConfig(Config config, Path home) {
    Config c = config.getConfig("pulse.inference");
    Config m = config.getConfig("pulse.model");
    Path dir = Path.of(m.getString("dir"));
    return new InferenceSettings(
        c.getInt("workers"),
        new BatchingPolicy.Settings(
            c.getInt("max-batch-size"),
            c.getDuration("max-queue-delay"),
            c.getInt("queue-capacity")),
        c.getDuration("deadline"),
        dir.isAbsolute() ? dir : home.resolve(dir),
        Device.parse(m.getString("device")),
        c.getDuration("model-poll-interval"),
        c.getInt("session-threads"),
        c.getDuration("retry-after"));
  }

  public InferenceSettings withModelPoll(Duration poll) {
    return new InferenceSettings(
        workers, batching, deadline, modelDir, device, poll, sessionThreads, retryAfter);
  }

  public InferenceSettings withMaxBatchSize(int maxBatchSize) {
    return new InferenceSettings(
        workers,
        new BatchingPolicy.Settings(
            maxBatchSize, batching.maxQueueDelay(), batching.queueCapacity()),
        deadline,
        modelDir,
        device,
        modelPoll,
        sessionThreads,
        retryAfter);
  }
}
