package pulse.engine.inference;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * When recommendation requests go to the encoder, and how many together. Pure logic: time is passed
 * in, nothing sleeps, nothing is scheduled; the batcher actor carries the decisions out.
 *
 * <ul>
 *   <li>With a worker idle, requests go out at once (no waiting for company), unless {@code
 *       maxQueueDelay} is set: then they wait until a full batch has formed or the oldest has
 *       waited that long, whichever comes first.
 *   <li>While every worker is busy, requests accumulate and leave together, at most {@code
 *       maxBatchSize} per call.
 *   <li>The queue is bounded: beyond {@code queueCapacity} a request is refused at once.
 *   <li>A request whose deadline passed while it queued is expired, never computed.
 * </ul>
 *
 * <p>Not thread-safe: one actor owns it.
 */
public final class BatchingPolicy<R extends BatchingPolicy.Pending> {

  /**
   * What the policy needs to know of a request: when it arrived and by when it must be answered
   * (nanos).
   */
  public interface Pending {
    long enqueuedAtNanos();

    long deadlineNanos();
  }

  public record Settings(int maxBatchSize, Duration maxQueueDelay, int queueCapacity) {
    public Settings {
      if (maxBatchSize < 1 || queueCapacity < 1 || maxQueueDelay.isNegative()) {
        throw new IllegalArgumentException("max batch and queue capacity must be >= 1, delay >= 0");
      }
    }
  }

  /**
   * The outcome of {@link #decide}: what to send now, what to answer with a timeout, and when to
   * ask again.
   */
  public record Decision<R>(List<R> batch, List<R> expired, long wakeUpAtNanos) {
    public static final long NEVER = Long.MAX_VALUE;

    public boolean dispatch() {
      return !batch.isEmpty();
    }
  }

  private final Settings settings;
  private final long maxDelayNanos;
  private final ArrayDeque<R> queue = new ArrayDeque<>();
  private int idleWorkers;

  public BatchingPolicy(Settings settings, int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("need at least one worker");
    }
    this.settings = settings;
    this.maxDelayNanos = settings.maxQueueDelay().toNanos();
    this.idleWorkers = workers;
  }

  /**
   * Queues the request, or returns false when the queue is full (the caller answers 503 at once).
   */
  public boolean offer(R request) {
    if (queue.size() >= settings.queueCapacity()) {
      return false;
    }
    queue.addLast(request);
    return true;
  }

  /** A worker finished its batch. */
  public void workerIdle() {
    idleWorkers++;
  }

  public int queued() {
    return queue.size();
  }

  public int idleWorkers() {
    return idleWorkers;
  }

  /**
   * Expires what is overdue and, if a worker is free and the batch is due, takes it (the worker
   * counts as busy from here). Call after every offer, every finished batch and at {@code
   * wakeUpAtNanos}.
   */
  public Decision<R> decide(long nowNanos) {
    List<R> expired = new ArrayList<>();
    queue.removeIf(
        r -> {
          if (r.deadlineNanos() <= nowNanos) {
            expired.add(r);
            return true;
          }
          return false;
        });
    if (queue.isEmpty()) {
      return new Decision<>(List.of(), expired, Decision.NEVER);
    }
    long dueAt =
        queue.size() >= settings.maxBatchSize()
            ? nowNanos
            : queue.peekFirst().enqueuedAtNanos() + maxDelayNanos;
    if (idleWorkers == 0) {
      return new Decision<>(List.of(), expired, nextDeadline());
    }
    if (dueAt > nowNanos) {
      return new Decision<>(List.of(), expired, Math.min(dueAt, nextDeadline()));
    }
    List<R> batch = new ArrayList<>(Math.min(queue.size(), settings.maxBatchSize()));
    while (!queue.isEmpty() && batch.size() < settings.maxBatchSize()) {
      batch.add(queue.pollFirst());
    }
    idleWorkers--;
    long wake =
        queue.isEmpty()
            ? Decision.NEVER
            : idleWorkers > 0
                ? nowNanos
                : nextDeadline(); // more waiting and a free worker: decide again at once
    return new Decision<>(batch, expired, wake);
  }

  private long nextDeadline() {
    long min = Decision.NEVER;
    for (R r : queue) {
      min = Math.min(min, r.deadlineNanos());
    }
    return min;
  }
}
