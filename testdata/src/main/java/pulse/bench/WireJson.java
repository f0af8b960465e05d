package pulse.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import pulse.engine.event.Item;
import pulse.engine.event.UserEvent;
import pulse.engine.ingest.EventParser;
import pulse.engine.ingest.ItemParser;

/**
 * Events and items as the JSON that {@code POST /v1/events}, the {@code user-events} topic and
 * {@code POST /v1/items} accept: exactly what {@link EventParser} and {@link ItemParser} read back
 * into equal records (timestamps as epoch millis, absent fields left out).
 */
public final class WireJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private WireJson() {}

  /** One event as a JSON object: a Kafka record's value, or one element of an HTTP batch. */
  public static String event(UserEvent event) {
    return write(event);
  }

  public static String item(Item item) {
    return write(item);
  }

  /** A JSON array of the events, one {@code POST /v1/events} body. */
  public static String events(List<UserEvent> events) {
    return write(events);
  }

  /** A JSON array of the items, one {@code POST /v1/items} body. */
  public static String items(List<Item> items) {
    return write(items);
  }

  /** Request bodies of at most {@code batchSize} events each, in order. */
  public static List<String> eventBatches(List<UserEvent> events, int batchSize) {
    List<String> bodies = new ArrayList<>();
    for (List<UserEvent> chunk : chunks(events, batchSize)) {
      bodies.add(events(chunk));
    }
    return bodies;
  }

  /** Request bodies of at most {@code batchSize} items each, in order. */
  public static List<String> itemBatches(List<Item> items, int batchSize) {
    List<String> bodies = new ArrayList<>();
    for (List<Item> chunk : chunks(items, batchSize)) {
      bodies.add(items(chunk));
    }
    return bodies;
  }

  static <T> List<List<T>> chunks(List<T> all, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, was " + size);
    }
    List<List<T>> out = new ArrayList<>();
    for (int from = 0; from < all.size(); from += size) {
      out.add(all.subList(from, Math.min(all.size(), from + size)));
    }
    return out;
  }

  private static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      // Records of strings, numbers and lists: failing here is a programming error, not bad input.
      throw new IllegalStateException(
          "cannot render " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }
}
