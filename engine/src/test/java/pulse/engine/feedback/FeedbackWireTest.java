package pulse.engine.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import pulse.engine.event.EventType;
import pulse.engine.event.RecordedEvent;
import pulse.engine.event.UserEvent;

class FeedbackWireTest {
  @Test
  void whatThePublisherWritesTheReaderReads() throws Exception {
    RecordedEvent in =
        new RecordedEvent(
            new UserEvent("e1", "u1", "i1", EventType.ADD_TO_CART, 1_000L, null, null),
            List.of("games", "rpg"));
    FeedbackWire back = FeedbackWire.parse(FeedbackWire.of(in, 2_000L).toBytes());
    assertEquals(
        new FeedbackWire("e1", "u1", "i1", "add_to_cart", 1_000L, List.of("games", "rpg"), 2_000L),
        back);
  }

  @Test
  void aSearchHasNoItemField() throws Exception {
    RecordedEvent search =
        new RecordedEvent(
            new UserEvent("e2", "u1", null, EventType.SEARCH, 1_000L, null, null), List.of());
    String json = new String(FeedbackWire.of(search, 2_000L).toBytes(), StandardCharsets.UTF_8);
    assertFalse(json.contains("itemId"), json);
    assertNull(FeedbackWire.parse(json.getBytes(StandardCharsets.UTF_8)).itemId());
  }

  @Test
  void aRecordWithoutAcceptedAtOrWithFieldsOfANewerWriterStillReads() throws Exception {
    String older =
        "{\"eventId\":\"e3\",\"userId\":\"u2\",\"itemId\":\"i9\",\"type\":\"click\",\"timestamp\":5,"
            + "\"categories\":[],\"addedLater\":true}";
    FeedbackWire w = FeedbackWire.parse(older.getBytes(StandardCharsets.UTF_8));
    assertEquals("e3", w.eventId());
    assertNull(w.acceptedAt());
  }
}
