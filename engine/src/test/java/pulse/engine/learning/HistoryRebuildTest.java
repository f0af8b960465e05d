package pulse.engine.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import pulse.engine.event.EventType;
import pulse.engine.event.Interaction;
import pulse.engine.feedback.FeedRecord;
import pulse.engine.feedback.FeedbackEvent;

class HistoryRebuildTest {
  private static final long T0 = 1_700_000_000_000L;

  private static Interaction i(String item, EventType type, long at) {
    return new Interaction(item, type, at, List.of());
  }

  private static FeedbackEvent click(String user, String id, String item, long at) {
    return new FeedbackEvent(user, id, item, "click", at);
  }

  @Test
  void theHistoryEndsBeforeTheEventBeingLearnedAndLeavesOutWhatCameAfterIt() {
    // The entity holds the event being learned (c at T0+2) and one that came after it (d).
    List<Interaction> recent =
        List.of(
            i("a", EventType.VIEW, T0),
            i("b", EventType.CLICK, T0 + 1),
            i("c", EventType.CLICK, T0 + 2),
            i("d", EventType.CLICK, T0 + 3));
    assertEquals(
        List.of("a", "b"), HistoryRebuild.itemsBefore(recent, click("u", "e3", "c", T0 + 2)));
  }

  @Test
  void atTheSameMillisecondWhatArrivedBeforeTheEventStays() {
    List<Interaction> recent =
        List.of(
            i("a", EventType.CLICK, T0),
            i("b", EventType.CLICK, T0),
            i("c", EventType.CLICK, T0),
            i("d", EventType.CLICK, T0));
    assertEquals(List.of("a", "b"), HistoryRebuild.itemsBefore(recent, click("u", "e3", "c", T0)));
  }

  @Test
  void anEventTheEntityDoesNotHoldIsCutByTimeAlone() {
    List<Interaction> recent =
        List.of(i("a", EventType.CLICK, T0), i("b", EventType.CLICK, T0 + 10));
    assertEquals(List.of("a"), HistoryRebuild.itemsBefore(recent, click("u", "x", "z", T0 + 5)));
    assertEquals(List.of(), HistoryRebuild.itemsBefore(recent, click("u", "x", "z", T0 - 1)));
  }

  @Test
  void searchesAndImpressionsInTheEntitysSequenceAreNoHistory() {
    List<Interaction> recent =
        List.of(
            i("a", EventType.CLICK, T0),
            i(null, EventType.SEARCH, T0 + 1),
            i("shown", EventType.IMPRESSION, T0 + 2),
            i("b", EventType.PURCHASE, T0 + 3));
    assertEquals(
        List.of("a", "b"), HistoryRebuild.itemsBefore(recent, click("u", "x", "c", T0 + 4)));
  }

  @Test
  void onlyUsersTheLearnerDoesNotKnowAreAskedForEachWithItsFirstEventInTheBatch() {
    List<FeedRecord> records =
        List.of(
            new FeedRecord(0, 1, click("known", "k1", "a", T0), List.of(), T0),
            new FeedRecord(0, 2, click("new", "n1", "a", T0 + 1), List.of(), T0),
            new FeedRecord(1, 7, click("new", "n2", "b", T0 + 2), List.of(), T0),
            new FeedRecord(1, 8, click(null, "x", "b", T0 + 2), List.of(), T0),
            new FeedRecord(1, 9, click("other", "o1", "b", T0 + 3), List.of(), T0));
    Map<String, FeedbackEvent> first =
        HistoryRebuild.firstEventsOfUnknownUsers(records, Set.of("known")::contains);
    assertEquals(List.of("new", "other"), List.copyOf(first.keySet()));
    assertEquals("n1", first.get("new").eventId());
  }

  @Test
  void aRebuiltHistoryMakesTheUsersNextEventAnExampleAsAnUnbrokenStreamWould() {
    // max-history 3: the rebuilt history keeps the newest 3, a repeat of the last item is one step.
    ExampleSettings settings =
        new ExampleSettings(4, 3, 5, 50, Duration.ofSeconds(30), Duration.ofHours(1), 8);
    ExampleStream restarted = new ExampleStream(settings);
    FeedbackEvent next = click("u", "e9", "z", T0 + 10);
    List<Interaction> recent =
        List.of(
            i("a", EventType.CLICK, T0),
            i("b", EventType.CLICK, T0 + 1),
            i("c", EventType.VIEW, T0 + 2),
            i("c", EventType.CLICK, T0 + 3),
            i("d", EventType.CLICK, T0 + 4),
            i("z", EventType.CLICK, T0 + 10));
    restarted.seed("u", HistoryRebuild.itemsBefore(recent, next));
    Example e = restarted.accept(next).orElseThrow();
    assertEquals(List.of("b", "c", "d"), e.historyBefore());
    assertEquals("z", e.positiveItem());
  }

  @Test
  void seedingLeavesAKnownUserAsItIs() {
    ExampleSettings settings =
        new ExampleSettings(4, 3, 5, 50, Duration.ofSeconds(30), Duration.ofHours(1), 8);
    ExampleStream stream = new ExampleStream(settings);
    stream.accept(click("u", "e1", "a", T0));
    stream.seed("u", List.of("old1", "old2"));
    assertEquals(
        List.of("a"), stream.accept(click("u", "e2", "b", T0 + 1)).orElseThrow().historyBefore());
  }
}
