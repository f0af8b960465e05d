package pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static pulse.engine.user.Events.MINUTE;
import static pulse.engine.user.Events.T0;

import org.junit.jupiter.api.Test;

class SessionTrackerTest {

  private static final long GAP = 30 * MINUTE;
  private final SessionTracker session = new SessionTracker(GAP);

  @Test
  void noEventsNoSession() {
    assertNull(session.currentAt(T0));
  }

  @Test
  void aGapJustUnderTheLimitContinuesTheSession() {
    session.add(T0, "a");
    session.add(T0 + GAP - 1, "b");
    assertEquals(new SessionView(T0, T0 + GAP - 1, 2, 2, GAP - 1), session.currentAt(T0 + GAP - 1));
  }

  @Test
  void aGapOfExactlyTheLimitStartsANewSession() {
    session.add(T0, "a");
    session.add(T0 + GAP, "b");
    assertEquals(new SessionView(T0 + GAP, T0 + GAP, 1, 1, 0), session.currentAt(T0 + GAP));
  }

  @Test
  void theSessionEndsExactlyOneGapAfterItsLastEvent() {
    session.add(T0, "a");
    session.add(T0 + 10 * MINUTE, "a");
    assertEquals(
        new SessionView(T0, T0 + 10 * MINUTE, 2, 1, 10 * MINUTE),
        session.currentAt(T0 + 10 * MINUTE + GAP - 1));
    assertNull(session.currentAt(T0 + 10 * MINUTE + GAP));
  }

  @Test
  void outOfOrderEventsJoinOrExtendTheSessionOrAreIgnored() {
    session.add(T0 + 60 * MINUTE, "a");
    session.add(T0 + 70 * MINUTE, "b");
    session.add(T0 + 65 * MINUTE, "c"); // inside
    session.add(T0 + 31 * MINUTE, "d"); // 29 min before start: moves start back
    session.add(T0, "e"); // 31 min before the new start: a past session
    session.add(T0 + 20 * MINUTE, null); // a search 11 min before start: joins, no item
    assertEquals(
        new SessionView(T0 + 20 * MINUTE, T0 + 70 * MINUTE, 5, 4, 50 * MINUTE),
        session.currentAt(T0 + 71 * MINUTE));
  }

  @Test
  void snapshotRoundTripIsExact() {
    session.add(T0, "x");
    session.add(T0 + MINUTE, "y");
    SessionTracker restored = SessionTracker.restore(GAP, session.toSnapshot());
    assertEquals(session.toSnapshot(), restored.toSnapshot());
    assertEquals(session.currentAt(T0 + 2 * MINUTE), restored.currentAt(T0 + 2 * MINUTE));
    assertNull(SessionTracker.restore(GAP, null).toSnapshot());
  }
}
