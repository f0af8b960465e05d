package pulse.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import pulse.engine.event.UserEvent;

class EventBatchParserTest {

  private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
  private final EventParser parser = new EventParser(Clock.fixed(NOW, ZoneOffset.UTC));

  private static String event(int i) {
    return "{\"eventId\":\"e"
        + i
        + "\",\"userId\":\"u\",\"itemId\":\"i\",\"type\":\"click\",\"timestamp\":\""
        + NOW
        + "\"}";
  }

  private static String array(int n) {
    return IntStream.range(0, n)
        .mapToObj(EventBatchParserTest::event)
        .collect(Collectors.joining(",", "[", "]"));
  }

  @Test
  void aBadEventNeverSinksTheGoodOnes() {
    String json = "[" + event(0) + ",{\"eventId\":\"e1\"},42," + event(3) + "]";
    BatchParseResult.PerElement<UserEvent> batch = Results.perElement(parser.parseBatch(json));
    List<ParseResult<UserEvent>> results = batch.results();
    assertEquals(4, results.size());
    assertInstanceOf(ParseResult.Valid.class, results.get(0));
    // No type, so whether an item is required is unknown: itemId is not reported.
    assertEquals(
        List.of("timestamp", "type", "userId"),
        Results.errors(results.get(1)).stream().map(FieldError::field).sorted().toList());
    assertEquals(
        List.of(new FieldError("$", "event must be a JSON object")),
        Results.errors(results.get(2)));
    assertInstanceOf(ParseResult.Valid.class, results.get(3));
    assertEquals(
        List.of("e0", "e3"), batch.validValues().stream().map(UserEvent::eventId).toList());
  }

  @Test
  void upToTheLimitIsAcceptedAndOneMoreIsRejectedWhole() {
    BatchParseResult<UserEvent> full = parser.parseBatch(array(1000));
    assertEquals(1000, Results.perElement(full).validValues().size());

    BatchParseResult<UserEvent> over = parser.parseBatch(array(1001));
    FieldError error = Results.rejected(over);
    assertEquals("$", error.field());
  }

  @Test
  void notAnArrayOrBadJsonIsOneError() {
    assertEquals("$", Results.rejected(parser.parseBatch(event(0))).field());
    assertEquals("$", Results.rejected(parser.parseBatch("[{")).field());
    assertEquals("$", Results.rejected(parser.parseBatch(new byte[0])).field());
  }

  @Test
  void anEmptyArrayIsAnEmptyBatch() {
    assertEquals(List.of(), Results.perElement(parser.parseBatch("[]")).results());
  }
}
