package pulse.engine.feedback;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.List;
import pulse.engine.event.RecordedEvent;

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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedbackWire(
    String eventId,
    String userId,
    String itemId,
    String type,
    long timestamp,
    List<String> categories,
    Long acceptedAt) {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .disable(
              DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // a newer writer may add fields
          .build();

  public static FeedbackWire of(RecordedEvent in, long acceptedAt) {
    return new FeedbackWire(
        in.event().eventId(),
        in.event().userId(),
        in.event().itemId(),
        in.event().type().wireName(),
        in.event().timestamp(),
        in.categories(),
        acceptedAt);
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
