package pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import pulse.engine.event.EventType;
import pulse.engine.event.Interaction;

class RecentInteractionsTest {

  private static Interaction at(String item, long t) {
    return new Interaction(item, EventType.CLICK, t, List.of());
  }

  private static List<String> items(RecentInteractions r) {
    return r.toList().stream().map(Interaction::itemId).toList();
  }

  @Test
  void keepsEventTimeOrderWhenEventsArriveOutOfOrder() {
    RecentInteractions r = new RecentInteractions(10);
    r.add(at("a", 100));
    r.add(at("c", 300));
    r.add(at("b", 200));
    r.add(at("z", 50));
    assertEquals(List.of("z", "a", "b", "c"), items(r));
  }

  @Test
  void equalTimestampsKeepArrivalOrder() {
    RecentInteractions r = new RecentInteractions(10);
    r.add(at("a", 100));
    r.add(at("c", 200));
    r.add(at("b1", 100));
    r.add(at("b2", 100));
    assertEquals(List.of("a", "b1", "b2", "c"), items(r));
  }

  @Test
  void evictsTheOldestBeyondCapacity() {
    RecentInteractions r = new RecentInteractions(3);
    for (int i = 1; i <= 5; i++) {
      r.add(at("i" + i, i * 10L));
    }
    assertEquals(List.of("i3", "i4", "i5"), items(r));
    r.add(at("mid", 35));
    assertEquals(List.of("mid", "i4", "i5"), items(r));
  }

  @Test
  void anEventOlderThanAFullSequenceIsNotKept() {
    RecentInteractions r = new RecentInteractions(2);
    r.add(at("a", 100));
    r.add(at("b", 200));
    r.add(at("old", 50));
    assertEquals(List.of("a", "b"), items(r));
  }

  @Test
  void restoreRoundTrips() {
    RecentInteractions r = new RecentInteractions(3);
    r.add(at("a", 1));
    r.add(at("b", 2));
    assertEquals(r.toList(), RecentInteractions.restore(3, r.toList()).toList());
  }
}
