package pulse.bench.micro;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import pulse.engine.event.EventContext;
import pulse.engine.event.EventType;
import pulse.engine.event.UserEvent;
import pulse.engine.user.UserFeatures;

/**
 * What a user actor spends on its features per persisted event: {@link UserFeatures#apply} on a
 * user with 200 events already applied (windows, session, dedup set and history warm), one new
 * event per call, a second later than the one before.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FeatureUpdateBench {
  private static final EventType[] TYPES = {
    EventType.VIEW, EventType.VIEW, EventType.VIEW, EventType.CLICK, EventType.ADD_TO_CART
  };
  private static final List<String> CATEGORIES = List.of("games", "consoles");
  private static final EventContext CONTEXT = new EventContext("mobile", "home", null, "en");

  private UserFeatures features;
  private long time;
  private long n;

  @Setup(Level.Iteration)
  public void setUp() {
    features = new UserFeatures();
    time = 1_796_000_000_000L;
    n = 0;
    for (int i = 0; i < 200; i++) features.apply(next(), CATEGORIES);
  }

  private UserEvent next() {
    n++;
    time += 1_000;
    EventType type = TYPES[(int) (n % TYPES.length)];
    Double dwell = type == EventType.VIEW ? 12.5 : null;
    return new UserEvent("evt-" + n, "user-1", "sku-" + (n % 97), type, time, dwell, CONTEXT);
  }

  @Benchmark
  public boolean applyOneEvent() {
    return features.apply(next(), CATEGORIES);
  }
}
