package pulse.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pulse.engine.event.EventContext;
import pulse.engine.event.EventType;
import pulse.engine.event.UserEvent;

class EventParserTest {

  private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
  private static final long NOW_MS = NOW.toEpochMilli();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EventParser parser = new EventParser(Clock.fixed(NOW, ZoneOffset.UTC));

  private static ObjectNode valid() {
    ObjectNode n = JSON.createObjectNode();
    n.put("eventId", "e1");
    n.put("userId", "u1");
    n.put("itemId", "i1");
    n.put("type", "view");
    n.put("timestamp", NOW_MS - 1000);
    return n;
  }

  private UserEvent parseValid(ObjectNode n) {
    return Results.valid(parser.parse(n));
  }

  private List<FieldError> errors(ObjectNode n) {
    return errors(parser.parse(n));
  }

  private static List<FieldError> errors(ParseResult<UserEvent> r) {
    return Results.errors(r);
  }

  private static void assertOnlyField(String field, List<FieldError> errors) {
    assertEquals(1, errors.size(), errors::toString);
    assertEquals(field, errors.get(0).field(), errors::toString);
  }

  @Test
  void aMinimalEventIsValid() {
    assertEquals(
        new UserEvent("e1", "u1", "i1", EventType.VIEW, NOW_MS - 1000, null, null),
        parseValid(valid()));
  }

  @Test
  void aFullEventIsValidAndIsoTimestampsAreParsed() {
    ObjectNode n = valid();
    n.put("type", "add_to_cart");
    n.put("timestamp", "2024-06-01T13:59:59.250+02:00");
    n.put("value", 19.99);
    n.putObject("context")
        .put("device", "ios")
        .put("page", "home")
        .put("locale", "de-DE")
        .put("query", "q");
    UserEvent e = parseValid(n);
    assertEquals(Instant.parse("2024-06-01T11:59:59.250Z").toEpochMilli(), e.timestamp());
    assertEquals(EventType.ADD_TO_CART, e.type());
    assertEquals(19.99, e.value());
    assertEquals(new EventContext("ios", "home", "q", "de-DE"), e.context());
  }

  @Test
  void everyTypeNameIsAccepted() {
    for (EventType t : EventType.values()) {
      ObjectNode n = valid();
      n.put("type", t.wireName());
      if (t == EventType.SEARCH) {
        n.remove("itemId");
        n.putObject("context").put("query", "jazz");
      }
      if (t == EventType.RATING) {
        n.put("value", 4);
      }
      assertEquals(t, parseValid(n).type());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"eventId", "userId", "itemId", "type", "timestamp"})
  void requiredFieldsMustBePresent(String field) {
    ObjectNode n = valid();
    n.remove(field);
    assertOnlyField(field, errors(n));
    n.putNull(field);
    assertOnlyField(field, errors(n));
  }

  @ParameterizedTest
  @ValueSource(strings = {"eventId", "userId", "itemId"})
  void idsMustBeNonBlankStringsOfBoundedLength(String field) {
    ObjectNode n = valid();
    n.put(field, "   ");
    assertOnlyField(field, errors(n));
    n.put(field, 42);
    assertOnlyField(field, errors(n));
    n.put(field, "x".repeat(129));
    assertOnlyField(field, errors(n));
    n.put(field, "x".repeat(128));
    parseValid(n);
  }

  @ParameterizedTest
  @ValueSource(strings = {"eventId", "userId", "itemId"})
  void idsMustNotContainControlCharacters(String field) {
    ObjectNode n = valid();
    n.put(field, "u1\nu2");
    assertOnlyField(field, errors(n));
    assertEquals("must not contain control characters", errors(n).get(0).reason());
    n.put(field, "tab\there");
    assertOnlyField(field, errors(n));
  }

  @Test
  void idLengthLimitIsConfigurable() {
    ValidationLimits limits =
        new ValidationLimits(
            4, 512, Duration.ofMinutes(5), Instant.parse("2000-01-01T00:00:00Z"), 1000, 32, 64);
    EventParser strict = new EventParser(Clock.fixed(NOW, ZoneOffset.UTC), limits);
    ObjectNode n = valid();
    n.put("eventId", "12345");
    assertOnlyField("eventId", errors(strict.parse(n)));
  }

  @Test
  void unknownTypesAreRejectedCaseSensitively() {
    ObjectNode n = valid();
    n.put("type", "like");
    List<FieldError> e = errors(n);
    assertOnlyField("type", e);
    assertTrue(e.get(0).reason().contains("like"));
    n.put("type", "VIEW");
    assertOnlyField("type", errors(n));
    n.put("type", 3);
    assertOnlyField("type", errors(n));
  }

  @Test
  void aSearchNeedsAQueryAndNoItem() {
    ObjectNode n = valid();
    n.put("type", "search");
    n.remove("itemId");
    assertOnlyField("context.query", errors(n));
    n.putObject("context").put("query", " ");
    assertOnlyField("context.query", errors(n));
    n.putObject("context").put("query", "blue note");
    assertEquals(null, parseValid(n).itemId());
    n.put("itemId", "i1");
    assertOnlyField("itemId", errors(n));
  }

  @Test
  void timestampsMayBeSkewedIntoTheFutureUpToTheLimit() {
    ObjectNode n = valid();
    n.put("timestamp", NOW_MS + Duration.ofMinutes(5).toMillis());
    parseValid(n);
    n.put("timestamp", NOW_MS + Duration.ofMinutes(5).toMillis() + 1);
    assertOnlyField("timestamp", errors(n));
  }

  @Test
  void timestampsBefore2000AreRejected() {
    ObjectNode n = valid();
    long y2k = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
    n.put("timestamp", y2k);
    parseValid(n);
    n.put("timestamp", y2k - 1);
    assertOnlyField("timestamp", errors(n));
    n.put("timestamp", "1999-12-31T23:59:59Z");
    assertOnlyField("timestamp", errors(n));
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday", "2024-06-01T12:00:00", "2024-06-01", "", "1717243200000"})
  void timestampStringsMustBeIso8601WithOffset(String text) {
    ObjectNode n = valid();
    n.put("timestamp", text);
    assertOnlyField("timestamp", errors(n));
  }

  @Test
  void numericTimestampsMustBeIntegralMillis() {
    ObjectNode n = valid();
    n.put("timestamp", 1.7e12 + 0.5);
    assertOnlyField("timestamp", errors(n));
    n.put("timestamp", true);
    assertOnlyField("timestamp", errors(n));
  }

  @Test
  void ratingsNeedAValueFromOneToFive() {
    ObjectNode n = valid();
    n.put("type", "rating");
    assertOnlyField("value", errors(n));
    n.put("value", 0.99);
    assertOnlyField("value", errors(n));
    n.put("value", 5.01);
    assertOnlyField("value", errors(n));
    n.put("value", 1);
    assertEquals(1.0, parseValid(n).value());
    n.put("value", 5);
    assertEquals(5.0, parseValid(n).value());
  }

  @Test
  void valuesMustBeFiniteNonNegativeNumbers() {
    ObjectNode n = valid();
    n.put("value", -1);
    assertOnlyField("value", errors(n));
    n.put("value", "12");
    assertOnlyField("value", errors(n));
    ParseResult<UserEvent> huge =
        parser.parse(
            "{\"eventId\":\"e\",\"userId\":\"u\",\"itemId\":\"i\",\"type\":\"view\",\"timestamp\":"
                + NOW_MS
                + ",\"value\":1e999}");
    assertOnlyField("value", errors(huge));
    n.put("value", 0);
    assertEquals(0.0, parseValid(n).value());
  }

  @Test
  void contextStringsAreBoundedAndContextMustBeAnObject() {
    ObjectNode n = valid();
    n.putObject("context").put("page", "p".repeat(513));
    assertOnlyField("context.page", errors(n));
    n.putObject("context").put("device", 7);
    assertOnlyField("context.device", errors(n));
    n.put("context", "mobile");
    assertOnlyField("context", errors(n));
    n.putObject("context").put("locale", "l".repeat(512));
    parseValid(n);
  }

  @Test
  void unknownFieldsAreRejectedAtTopLevelAndInContext() {
    ObjectNode n = valid();
    n.put("vlaue", 3);
    assertOnlyField("vlaue", errors(n));
    n.remove("vlaue");
    n.putObject("context").put("referrer", "x");
    assertOnlyField("context.referrer", errors(n));
  }

  @Test
  void everyBrokenRuleIsReportedAtOnce() {
    ObjectNode n = JSON.createObjectNode();
    n.put("eventId", "");
    n.put("type", "rating");
    n.put("value", 9);
    n.put("extra", 1);
    List<String> fields = errors(n).stream().map(FieldError::field).sorted().toList();
    assertEquals(List.of("eventId", "extra", "itemId", "timestamp", "userId", "value"), fields);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "not json", "{\"eventId\":\"e\"} trailing", "", "   ", "[1,"})
  void badJsonIsOneErrorOnTheWholeInput(String text) {
    assertOnlyField("$", errors(parser.parse(text)));
    assertOnlyField("$", errors(parser.parse(text.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void nonObjectsAreOneErrorOnTheWholeInput() {
    assertOnlyField("$", errors(parser.parse("[]")));
    assertOnlyField("$", errors(parser.parse("42")));
    assertOnlyField("$", errors(parser.parse((byte[]) null)));
  }

  @Test
  void rawBytesParseLikeTrees() {
    byte[] bytes = valid().toString().getBytes(StandardCharsets.UTF_8);
    assertEquals(parser.parse(valid()), parser.parse(bytes));
  }
}
