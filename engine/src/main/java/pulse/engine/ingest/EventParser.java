package pulse.engine.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import pulse.engine.event.EventContext;
import pulse.engine.event.EventType;
import pulse.engine.event.UserEvent;

/**
 * Turns client JSON (HTTP body element, Kafka record) into a {@link UserEvent} or the list of every
 * rule it breaks. Never throws on bad input.
 *
 * <p>Unknown fields, at the top level and inside {@code context}, are rejected: the schema is small
 * and a typo such as {@code "vlaue"} would otherwise silently lose data. JSON null is treated as an
 * absent field.
 */
public final class EventParser {

  private static final Set<String> EVENT_FIELDS =
      Set.of("eventId", "userId", "itemId", "type", "timestamp", "value", "context");
  private static final Set<String> CONTEXT_FIELDS =
      Set.of("device", "page", "query", "locale", "listId");
  private static final String TYPE_NAMES =
      Arrays.stream(EventType.values()).map(EventType::wireName).collect(Collectors.joining(", "));
  private static final double MIN_RATING = 1.0;
  private static final double MAX_RATING = 5.0;

  private final Clock clock;
  private final ValidationLimits limits;
  private final long earliestMillis;
  private final long skewMillis;

  public EventParser(Clock clock, ValidationLimits limits) {
    this.clock = clock;
    this.limits = limits;
    this.earliestMillis = limits.earliestTimestamp().toEpochMilli();
    this.skewMillis = limits.maxFutureSkew().toMillis();
  }

  public EventParser(Clock clock) {
    this(clock, ValidationLimits.DEFAULTS);
  }

  public ParseResult<UserEvent> parse(byte[] json) {
    return JsonInput.read(json).single(this::parse);
  }

  public ParseResult<UserEvent> parse(String json) {
    return JsonInput.read(json).single(this::parse);
  }

  public BatchParseResult<UserEvent> parseBatch(byte[] json) {
    return JsonInput.read(json).batch(this::parseBatch);
  }

  public BatchParseResult<UserEvent> parseBatch(String json) {
    return JsonInput.read(json).batch(this::parseBatch);
  }

  /**
   * Per-index results for a JSON array of at most {@link ValidationLimits#maxBatchSize()} events.
   */
  public BatchParseResult<UserEvent> parseBatch(JsonNode array) {
    return JsonInput.batch(array, limits.maxBatchSize(), this::parse);
  }

  public ParseResult<UserEvent> parse(JsonNode node) {
    if (node == null || !node.isObject()) {
      return ParseResult.Invalid.of(FieldError.WHOLE_INPUT, "event must be a JSON object");
    }
    JsonFieldReader in = JsonFieldReader.root(node);
    in.rejectUnknownFields(EVENT_FIELDS);

    String eventId = in.requiredId("eventId", limits.maxIdLength());
    String userId = in.requiredId("userId", limits.maxIdLength());
    EventType type = readType(in);
    String itemId = readItemId(in, type);
    long timestamp = readTimestamp(in);
    Double value = readValue(in, type);
    EventContext context = readContext(in, type);

    if (in.hasErrors()) {
      return new ParseResult.Invalid<>(in.errors());
    }
    return new ParseResult.Valid<>(
        new UserEvent(eventId, userId, itemId, type, timestamp, value, context));
  }

  private static EventType readType(JsonFieldReader in) {
    JsonNode node = in.present("type");
    if (node == null) {
      in.reject("type", "is required");
      return null;
    }
    if (!node.isTextual()) {
      in.reject("type", "must be a string");
      return null;
    }
    return EventType.fromWireName(node.textValue())
        .orElseGet(
            () -> {
              in.reject(
                  "type",
                  "unknown type '"
                      + abbreviate(node.textValue())
                      + "'; expected one of "
                      + TYPE_NAMES);
              return null;
            });
  }

  private String readItemId(JsonFieldReader in, EventType type) {
    if (type == EventType.SEARCH) {
      // A search is about a query; an item here means the client mislabelled the event.
      if (in.present("itemId") != null) {
        in.reject("itemId", "must be absent for a search");
      }
      return null;
    }
    if (type == null) {
      // Type unknown: still check what was sent, without demanding an item we may not need.
      return in.present("itemId") == null ? null : in.requiredId("itemId", limits.maxIdLength());
    }
    return in.requiredId("itemId", limits.maxIdLength());
  }

  private long readTimestamp(JsonFieldReader in) {
    JsonNode node = in.present("timestamp");
    if (node == null) {
      in.reject("timestamp", "is required");
      return 0;
    }
    long millis;
    if (node.isNumber()) {
      if (!node.isIntegralNumber() || !node.canConvertToLong()) {
        in.reject("timestamp", "epoch millis must be an integer");
        return 0;
      }
      millis = node.longValue();
    } else if (node.isTextual()) {
      try {
        millis =
            OffsetDateTime.parse(node.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .toInstant()
                .toEpochMilli();
      } catch (DateTimeParseException | ArithmeticException e) {
        in.reject(
            "timestamp",
            "must be ISO-8601 with an offset (e.g. 2024-05-01T12:00:00Z) or epoch millis");
        return 0;
      }
    } else {
      in.reject("timestamp", "must be an ISO-8601 string or epoch millis");
      return 0;
    }
    if (millis < earliestMillis) {
      in.reject("timestamp", "must not be before " + limits.earliestTimestamp());
    } else if (millis > clock.millis() + skewMillis) {
      in.reject("timestamp", "must not be more than " + limits.maxFutureSkew() + " in the future");
    }
    return millis;
  }

  private static Double readValue(JsonFieldReader in, EventType type) {
    Double value = in.optionalNonNegativeNumber("value");
    if (type == EventType.RATING) {
      if (value == null && in.present("value") == null) {
        in.reject("value", "is required for a rating");
      } else if (value != null && (value < MIN_RATING || value > MAX_RATING)) {
        in.reject("value", "rating must be between 1 and 5");
        return null;
      }
    }
    return value;
  }

  private EventContext readContext(JsonFieldReader in, EventType type) {
    JsonNode node = in.present("context");
    if (node == null) {
      if (type == EventType.SEARCH) {
        in.reject("context.query", "is required for a search");
      }
      return null;
    }
    if (!node.isObject()) {
      in.reject("context", "must be a JSON object");
      return null;
    }
    JsonFieldReader ctx = new JsonFieldReader(node, in.path("context."), in.errors());
    ctx.rejectUnknownFields(CONTEXT_FIELDS);
    int max = limits.maxTextLength();
    String device = ctx.optionalText("device", max);
    String page = ctx.optionalText("page", max);
    String locale = ctx.optionalText("locale", max);
    String query;
    if (type == EventType.SEARCH) {
      query = ctx.requiredId("query", max);
    } else {
      query = ctx.optionalText("query", max);
    }
    // The answer's listId, sent back with a click so the experiment metrics credit that list.
    String listId = ctx.optionalText("listId", limits.maxIdLength());
    return new EventContext(device, page, query, locale).withListId(listId);
  }

  // Echoing a 1 MB "type" back in the error would defeat the length limits.
  private static String abbreviate(String s) {
    return s.length() <= 32 ? s : s.substring(0, 32) + "...";
  }
}
