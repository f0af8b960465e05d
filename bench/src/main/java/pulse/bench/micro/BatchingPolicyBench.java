package pulse.bench.micro;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import pulse.engine.inference.BatchingPolicy;

/**
 * The inference pool's bookkeeping per batch: {@code batch} requests offered (each followed by the
 * {@link BatchingPolicy#decide} the pool makes after an offer), the batch taken when full, the
 * worker handed back. Divide by the batch size for the cost a request adds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BatchingPolicyBench {
  /** A queued request as the pool keeps it: arrival and deadline. */
  record Request(long enqueuedAtNanos, long deadlineNanos) implements BatchingPolicy.Pending {}

  @Param({"32"})
  public int batch;

  private BatchingPolicy<Request> policy;
  private long now;

  @Setup
  public void setUp() {
    policy =
        new BatchingPolicy<>(
            new BatchingPolicy.Settings(batch, Duration.ofMillis(2), 4 * batch), 1);
    now = 1_000_000_000L;
  }

  @Benchmark
  public int offerAndDecideOneBatch() {
    int sent = 0;
    for (int i = 0; i < batch; i++) {
      now += 10_000; // a request every 10 us
      policy.offer(new Request(now, now + 1_000_000_000L));
      BatchingPolicy.Decision<Request> d = policy.decide(now);
      if (d.dispatch()) {
        sent += d.batch().size();
        policy.workerIdle();
      }
    }
    return sent;
  }
}
