package pulse.bench.micro;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import pulse.model.RecommendRequest;
import pulse.model.SequenceInput;
import pulse.model.TopKInputs;

/**
 * The Java side of a batch's top-K before the graph runs: {@link TopKInputs#of} for 32 requests,
 * each excluding its 50-item history and 20 unavailable items, one in four with a 200-item allowed
 * set (a category filter), over a 10,000-item catalogue.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TopKInputsBench {
  static final int ITEMS = 10_000;
  private List<RecommendRequest> requests;

  @Setup
  public void setUp() {
    SplittableRandom r = new SplittableRandom(7);
    int[] unavailable = r.ints(20, 1, ITEMS + 1).toArray();
    requests = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      int[] history = r.ints(50, 1, ITEMS + 1).toArray();
      int[] exclude = new int[history.length + unavailable.length];
      System.arraycopy(history, 0, exclude, 0, history.length);
      System.arraycopy(unavailable, 0, exclude, history.length, unavailable.length);
      int[] allowed = i % 4 == 0 ? r.ints(200, 1, ITEMS + 1).toArray() : null;
      requests.add(new RecommendRequest(SequenceInput.of(history), exclude, allowed));
    }
  }

  @Benchmark
  public TopKInputs buildFor32Requests() {
    return TopKInputs.of(requests, ITEMS);
  }
}
