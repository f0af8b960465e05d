package pulse.bench.micro;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import pulse.engine.event.UserEvent;
import pulse.engine.ingest.BatchParseResult;
import pulse.engine.ingest.EventParser;

/**
 * What {@code POST /v1/events} spends validating a 500-event body before anything is persisted:
 * {@link EventParser#parseBatch} from the raw bytes (Jackson tree, per-field checks, error
 * collection). Divide by 500 for the cost an event adds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EventParseBench {
  static final int EVENTS = 500;
  private static final long NOW = 1_796_000_000_000L;

  private EventParser parser;
  private byte[] body;

  @Setup
  public void setUp() {
    parser = new EventParser(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
    StringBuilder b = new StringBuilder("[");
    String[] types = {"view", "click", "add_to_cart", "purchase", "search"};
    for (int i = 0; i < EVENTS; i++) {
      if (i > 0) b.append(',');
      String type = types[i % types.length];
      b.append("{\"eventId\":\"evt-").append(i).append("\",\"userId\":\"user-").append(i % 50);
      // A search is about its query, never an item.
      if (!type.equals("search")) b.append("\",\"itemId\":\"sku-").append(i % 997);
      b.append("\",\"type\":\"")
          .append(type)
          .append("\",\"timestamp\":")
          .append(NOW - 1_000L * (EVENTS - i));
      if (type.equals("view")) b.append(",\"value\":12.5");
      if (type.equals("search"))
        b.append(",\"context\":{\"query\":\"red shoes\",\"device\":\"web\"}");
      b.append('}');
    }
    body = b.append(']').toString().getBytes(StandardCharsets.UTF_8);
    if (!(parser.parseBatch(body) instanceof BatchParseResult.PerElement<UserEvent> ok)
        || ok.validValues().size() != EVENTS) {
      throw new IllegalStateException("the benchmark's body does not parse into 500 valid events");
    }
  }

  @Benchmark
  public BatchParseResult<UserEvent> parse500Events() {
    return parser.parseBatch(body);
  }
}
