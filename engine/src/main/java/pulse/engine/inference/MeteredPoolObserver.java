package pulse.engine.inference;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import pulse.engine.metrics.PulseMetrics;

/**
 * The inference pool as the node's metrics see it, and the version it serves as whoever must know
 * (the learner) is told. Called on the pool's thread: every method only counts or hands on.
 */
public final class MeteredPoolObserver implements InferencePool.Observer {
  private final PulseMetrics metrics;
  private final Consumer<String> serving;
  private final AtomicInteger queued = new AtomicInteger();

  /** {@code serving}: told each version the pool serves from now on (a load, a swap, a delta). */
  public MeteredPoolObserver(PulseMetrics metrics, Consumer<String> serving) {
    this.metrics = metrics;
    this.serving = serving;
    metrics.registerInferenceQueueDepth(queued::get);
  }

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
  public void sliceDispatched(boolean pinned, int size) {
    metrics.inferenceSlice(pinned, size);
  }

  @Override
  public void modelsHeld(long currentBytes, long pinnedBytes) {
    metrics.heldModelBytes(currentBytes, pinnedBytes);
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
    serving.accept(version);
  }
}
