package pulse.engine.feedback;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.List;
import pulse.engine.event.EventContext;
import pulse.engine.event.RecordedEvent;
import pulse.engine.event.UserEvent;

/**
 * One record of the feedback topic as JSON: the persisted event's own fields, the item's categories
 * as the catalog had them at ingest (to initialise a new item's embedding), and when the node
 * persisted it (the start of the update latency). The publisher writes and the reader reads this
 * one class, so the two cannot drift apart.
 *
 * @param itemId null for a search (left out of the JSON)
 * @param type the event type's wire name (view, click, ...)
 * @param acceptedAt epoch millis; null in records of writers that predate it (the reader then takes
 *     the record's Kafka timestamp)
 * @param value the event's value (an impression's rank, a rating); null when it has none
 * @param listId the served list the event belongs to (an impression's, or a client's click naming
 *     it); the experiment fields as the impression's context has them ({@link
 *     pulse.engine.event.EventContext}); all null on other events and in older writers' records
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedbackWire(
    String eventId,
    String userId,
    String itemId,
    String type,
    long timestamp,
    List<String> categories,
    Long acceptedAt,
    Double value,
    String listId,
    String experiment,
    String variant,
    String servedBy,
    Double tookMs) {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .disable(
              DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // a newer writer may add fields
          .build();

  /** A record without the served-list fields (the learner's view, tests). */
  public FeedbackWire(
      String eventId,
      String userId,
      String itemId,
      String type,
      long timestamp,
      List<String> categories,
      Long acceptedAt) {
    this(
        eventId,
        userId,
        itemId,
        type,
        timestamp,
        categories,
        acceptedAt,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  public static FeedbackWire of(RecordedEvent in, long acceptedAt) {
    UserEvent e = in.event();
    EventContext c = e.context();
    return new FeedbackWire(
        e.eventId(),
        e.userId(),
        e.itemId(),
        e.type().wireName(),
        e.timestamp(),
        in.categories(),
        acceptedAt,
        e.value(),
        c == null ? null : c.listId(),
        c == null ? null : c.experiment(),
        c == null ? null : c.variant(),
        c == null ? null : c.servedBy(),
        c == null ? null : c.tookMs());
  }

  public byte[] toBytes() throws IOException {
    return JSON.writeValueAsBytes(this);
  }

  /** {@link #toBytes}, for callers that cannot throw: a record of strings always serialises. */
  public byte[] toBytesUnchecked() {
    try {
      return toBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static FeedbackWire parse(byte[] bytes) throws IOException {
    return JSON.readValue(bytes, FeedbackWire.class);
  }
}
