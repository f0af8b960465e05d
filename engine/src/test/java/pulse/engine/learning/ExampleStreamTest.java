package pulse.engine.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import pulse.engine.feedback.FeedbackEvent;

class ExampleStreamTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long SEC = 1000;
  // 30 s horizon, 1 h max age, 5 negatives, 50 pending impressions, 4 users, 3 items, 8 ids.
  private static final ExampleSettings SMALL =
      new ExampleSettings(4, 3, 5, 50, Duration.ofSeconds(30), Duration.ofHours(1), 8);

  private final ExampleStream stream = new ExampleStream(SMALL);
  private int ids;

  private Optional<Example> event(String user, String type, String item, long at) {
    return stream.accept(new FeedbackEvent(user, "e" + (++ids), item, type, at));
  }

  private Optional<Example> click(String user, String item, long at) {
    return event(user, "click", item, at);
  }

  private void impress(String user, long at, String... items) {
    for (String item : items) {
      event(user, "impression", item, at);
    }
  }

  @Test
  void theFirstInteractionOnlyStartsTheHistory() {
    assertTrue(click("u", "a", T0).isEmpty());
    Example e = click("u", "b", T0 + SEC).orElseThrow();
    assertEquals(new Example("u", List.of("a"), "b", List.of(), "e2"), e);
    assertEquals(1, stream.examples());
  }

  @Test
  void everyInteractionTypeIsAPositive() {
    click("u", "start", T0);
    List<String> positives = new ArrayList<>();
    String[] types = {"view", "click", "add_to_cart", "purchase", "rating"};
    for (int i = 0; i < types.length; i++) {
      event("u", types[i], "i" + i, T0 + i).ifPresent(e -> positives.add(e.positiveItem()));
    }
    assertEquals(List.of("i0", "i1", "i2", "i3", "i4"), positives);
  }

  @Test
  void viewClickAndCartOfOneItemAreOneStep() {
    click("u", "a", T0);
    assertEquals("b", event("u", "view", "b", T0 + 1).orElseThrow().positiveItem());
    assertTrue(event("u", "click", "b", T0 + 2).isEmpty());
    assertTrue(event("u", "add_to_cart", "b", T0 + 3).isEmpty());
    Example next = click("u", "c", T0 + 4).orElseThrow();
    assertEquals(List.of("a", "b"), next.historyBefore());
  }

  @Test
  void anItemMayComeBackAfterAnother() {
    click("u", "a", T0);
    click("u", "b", T0 + 1);
    Example back = click("u", "a", T0 + 2).orElseThrow();
    assertEquals(List.of("a", "b"), back.historyBefore());
    assertEquals("a", back.positiveItem());
  }

  @Test
  void theHistoryKeepsTheLatestMaxHistoryItemsOldestFirst() {
    for (String item : List.of("a", "b", "c", "d")) {
      click("u", item, T0);
    }
    Example e = click("u", "e", T0).orElseThrow();
    assertEquals(List.of("b", "c", "d"), e.historyBefore());
  }

  @Test
  void anExampleDoesNotChangeWhenTheHistoryMovesOn() {
    click("u", "a", T0);
    Example e = click("u", "b", T0).orElseThrow();
    click("u", "c", T0);
    assertEquals(List.of("a"), e.historyBefore());
    assertThrows(UnsupportedOperationException.class, () -> e.historyBefore().add("x"));
  }

  @Test
  void impressionsLeftAloneBeyondTheHorizonBecomeNegativesNewestFirst() {
    click("u", "a", T0);
    impress("u", T0 + SEC, "x");
    impress("u", T0 + 2 * SEC, "y");
    Example e = click("u", "b", T0 + 40 * SEC).orElseThrow();
    assertEquals(List.of("y", "x"), e.negatives());
    assertEquals(0, stream.pendingImpressions("u"));
  }

  @Test
  void anImpressionStillInsideTheHorizonWaitsForALaterPositive() {
    click("u", "a", T0);
    impress("u", T0, "x");
    impress("u", T0 + 20 * SEC, "y");
    Example first =
        click("u", "b", T0 + 30 * SEC).orElseThrow(); // x is exactly 30 s old: due; y is 10 s old
    assertEquals(List.of("x"), first.negatives());
    Example second = click("u", "c", T0 + 50 * SEC).orElseThrow();
    assertEquals(List.of("y"), second.negatives());
  }

  @Test
  void anImpressedItemClickedWithinTheHorizonIsNeverANegative() {
    click("u", "a", T0);
    impress("u", T0, "x", "y");
    Example onX = click("u", "x", T0 + 5 * SEC).orElseThrow();
    assertEquals(List.of(), onX.negatives(), "y is not due yet, x was taken");
    Example later = click("u", "b", T0 + 60 * SEC).orElseThrow();
    assertEquals(List.of("y"), later.negatives());
  }

  @Test
  void anImpressedItemInteractedWithInAnyWayIsTakenOff() {
    click("u", "a", T0);
    impress("u", T0, "x", "y");
    event(
        "u", "view", "a",
        T0 + SEC); // repeats the last item: no step, but still an interaction with a
    event("u", "add_to_cart", "a", T0 + SEC);
    impress("u", T0 + 2 * SEC, "a");
    event("u", "rating", "a", T0 + 3 * SEC); // a shown and then rated: not ignored
    Example e =
        click("u", "x", T0 + 60 * SEC)
            .orElseThrow(); // x clicked after its horizon: the positive itself
    assertEquals(List.of("y"), e.negatives());
  }

  @Test
  void atMostMaxNegativesTheMostRecentAndTheRestAreDropped() {
    click("u", "a", T0);
    for (int i = 0; i < 8; i++) {
      impress("u", T0 + i * SEC, "n" + i);
    }
    Example e = click("u", "b", T0 + 100 * SEC).orElseThrow();
    assertEquals(List.of("n7", "n6", "n5", "n4", "n3"), e.negatives());
    assertEquals(List.of(), click("u", "c", T0 + 200 * SEC).orElseThrow().negatives());
  }

  @Test
  void impressionsOlderThanTheMaxAgeAreDropped() {
    click("u", "a", T0);
    impress("u", T0, "old");
    impress("u", T0 + 2 * 3600 * SEC - 60 * SEC, "recent");
    Example e = click("u", "b", T0 + 2 * 3600 * SEC).orElseThrow();
    assertEquals(List.of("recent"), e.negatives());
  }

  @Test
  void showingAnItemAgainRestartsItsHorizon() {
    click("u", "a", T0);
    impress("u", T0, "x", "y");
    impress("u", T0 + 50 * SEC, "x");
    Example e = click("u", "b", T0 + 60 * SEC).orElseThrow();
    assertEquals(List.of("y"), e.negatives());
    assertEquals(1, stream.pendingImpressions("u"));
  }

  @Test
  void pendingImpressionsAreBoundedOldestFirst() {
    ExampleStream s =
        new ExampleStream(new ExampleSettings(4, 3, 5, 3, Duration.ZERO, Duration.ofHours(1), 100));
    s.accept(new FeedbackEvent("u", "c0", "a", "click", T0));
    for (int i = 0; i < 5; i++) {
      s.accept(new FeedbackEvent("u", "i" + i, "n" + i, "impression", T0 + i));
    }
    assertEquals(3, s.pendingImpressions("u"));
    Example e = s.accept(new FeedbackEvent("u", "c1", "b", "click", T0 + 10)).orElseThrow();
    assertEquals(List.of("n4", "n3", "n2"), e.negatives());
  }

  @Test
  void aZeroHorizonMakesTheRestOfASlateTheNegativesOfTheClick() {
    ExampleStream s =
        new ExampleStream(
            new ExampleSettings(4, 3, 5, 50, Duration.ZERO, Duration.ofHours(1), 100));
    s.accept(new FeedbackEvent("u", "c0", "a", "click", T0));
    for (String item : List.of("x", "y", "z")) {
      s.accept(new FeedbackEvent("u", "imp-" + item, item, "impression", T0 + SEC));
    }
    Example e = s.accept(new FeedbackEvent("u", "c1", "y", "click", T0 + 2 * SEC)).orElseThrow();
    assertEquals(List.of("z", "x"), e.negatives());
  }

  @Test
  void impressionsBeforeTheFirstInteractionWaitForTheFirstExample() {
    impress("u", T0, "x");
    assertTrue(click("u", "a", T0 + 60 * SEC).isEmpty());
    assertEquals(List.of("x"), click("u", "b", T0 + 61 * SEC).orElseThrow().negatives());
  }

  @Test
  void aRepeatOfTheLastItemKeepsThePendingNegatives() {
    click("u", "a", T0);
    impress("u", T0, "x");
    assertTrue(click("u", "a", T0 + 60 * SEC).isEmpty());
    assertEquals(List.of("x"), click("u", "b", T0 + 61 * SEC).orElseThrow().negatives());
  }

  @Test
  void aRedeliveredEventIsIgnored() {
    FeedbackEvent first = new FeedbackEvent("u", "A", "a", "click", T0);
    FeedbackEvent second = new FeedbackEvent("u", "B", "b", "click", T0 + 1);
    stream.accept(first);
    assertTrue(stream.accept(second).isPresent());
    assertTrue(stream.accept(second).isEmpty());
    assertTrue(
        stream.accept(first).isEmpty(), "a redelivered older event must not re-enter the history");
    assertEquals(
        List.of("a", "b"),
        stream
            .accept(new FeedbackEvent("u", "C", "c", "click", T0 + 2))
            .orElseThrow()
            .historyBefore());
    assertEquals(2, stream.duplicates());
    assertEquals(2, stream.examples());
  }

  @Test
  void aRedeliveredImpressionDoesNotRestartItsHorizon() {
    click("u", "a", T0);
    FeedbackEvent shown = new FeedbackEvent("u", "imp", "x", "impression", T0);
    stream.accept(shown);
    stream.accept(
        new FeedbackEvent("u", "imp", "x", "impression", T0 + 50 * SEC)); // same id, replayed late
    assertEquals(List.of("x"), click("u", "b", T0 + 60 * SEC).orElseThrow().negatives());
  }

  @Test
  void eventIdsAreRememberedPerUserAndOnlyTheRecentOnes() {
    stream.accept(new FeedbackEvent("u", "same", "a", "click", T0));
    stream.accept(new FeedbackEvent("v", "same", "a", "click", T0));
    assertEquals(0, stream.duplicates(), "ids are per user");
    for (int i = 0; i < 8; i++) {
      stream.accept(new FeedbackEvent("u", "other" + i, "i" + i, "click", T0));
    }
    // Eight ids later "same" has been forgotten (8 remembered), so it counts as new again.
    assertTrue(stream.accept(new FeedbackEvent("u", "same", "z", "click", T0)).isPresent());
    assertEquals(0, stream.duplicates());
  }

  @Test
  void theLeastRecentlyActiveUserIsForgottenBeyondMaxUsers() {
    for (String u : List.of("u1", "u2", "u3", "u4")) {
      click(u, "a", T0);
    }
    click("u1", "b", T0 + 1); // u1 is now the most recent; u2 the least
    click("u5", "a", T0 + 2);
    assertEquals(4, stream.users());
    assertEquals(1, stream.evictedUsers());
    assertFalse(stream.knows("u2"));
    assertTrue(stream.knows("u1"));
    assertTrue(click("u2", "b", T0 + 3).isEmpty(), "u2 starts over: no history to predict from");
    assertFalse(stream.knows("u3"), "u3 made room for u2");
    assertEquals(List.of("a", "b"), click("u1", "c", T0 + 4).orElseThrow().historyBefore());
  }

  @Test
  void searchesUnknownTypesAndIncompleteEventsAreIgnoredWithoutState() {
    assertTrue(stream.accept(new FeedbackEvent("u", "s", null, "search", T0)).isEmpty());
    assertTrue(stream.accept(new FeedbackEvent("u", "w", "a", "wishlist", T0)).isEmpty());
    assertTrue(stream.accept(new FeedbackEvent("u", "n", null, "click", T0)).isEmpty());
    assertTrue(stream.accept(new FeedbackEvent(null, "x", "a", "click", T0)).isEmpty());
    assertTrue(stream.accept(new FeedbackEvent("u", " ", "a", "click", T0)).isEmpty());
    assertTrue(stream.accept(new FeedbackEvent("u", "i", "", "impression", T0)).isEmpty());
    assertTrue(stream.accept(new FeedbackEvent("u", "t", "a", null, T0)).isEmpty());
    assertEquals(7, stream.ignored());
    assertEquals(0, stream.users());
  }

  @Test
  void usersDoNotShareHistoriesOrImpressions() {
    click("u", "a", T0);
    click("v", "p", T0);
    impress("u", T0, "x");
    Example v = click("v", "q", T0 + 60 * SEC).orElseThrow();
    assertEquals(List.of("p"), v.historyBefore());
    assertEquals(List.of(), v.negatives());
    assertEquals(List.of("x"), click("u", "b", T0 + 60 * SEC).orElseThrow().negatives());
  }

  @Test
  void settingsRefuseNonsense() {
    Duration h = Duration.ofSeconds(30);
    Duration age = Duration.ofHours(1);
    assertThrows(IllegalArgumentException.class, () -> new ExampleSettings(0, 3, 5, 50, h, age, 8));
    assertThrows(
        IllegalArgumentException.class, () -> new ExampleSettings(4, -1, 5, 50, h, age, 8));
    assertEquals(200, new ExampleSettings(4, 0, 5, 50, h, age, 8).forModel(200).maxHistory());
    assertEquals(3, new ExampleSettings(4, 3, 5, 50, h, age, 8).forModel(200).maxHistory());
    assertThrows(
        IllegalArgumentException.class, () -> new ExampleSettings(4, 3, -1, 50, h, age, 8));
    assertThrows(IllegalArgumentException.class, () -> new ExampleSettings(4, 3, 5, 0, h, age, 8));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ExampleSettings(4, 3, 5, 50, h.negated(), age, 8));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ExampleSettings(4, 3, 5, 50, h, Duration.ofSeconds(1), 8));
    assertThrows(IllegalArgumentException.class, () -> new ExampleSettings(4, 3, 5, 50, h, age, 0));
    assertEquals(50, ExampleSettings.defaults().maxHistory());
  }

  @Test
  void zeroNegativesTurnsNegativesOff() {
    ExampleStream s =
        new ExampleStream(new ExampleSettings(4, 3, 0, 50, Duration.ZERO, Duration.ofHours(1), 8));
    s.accept(new FeedbackEvent("u", "1", "a", "click", T0));
    s.accept(new FeedbackEvent("u", "2", "x", "impression", T0));
    assertEquals(
        List.of(),
        s.accept(new FeedbackEvent("u", "3", "b", "click", T0 + 1)).orElseThrow().negatives());
  }
}
