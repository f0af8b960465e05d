package pulse.engine.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ListAttributionTest {
  private static final Duration WINDOW = Duration.ofMinutes(30);
  private static final long T0 = 1_700_000_000_000L;
  private static final String EXP = "ranker-v2";

  private final List<ListOutcome> outcomes = new ArrayList<>();

  private ListAttribution attribution(int maxUsers) {
    return new ListAttribution(WINDOW, maxUsers, outcomes::add);
  }

  private static long at(int minutes, int seconds) {
    return T0 + Duration.ofMinutes(minutes).plusSeconds(seconds).toMillis();
  }

  private static ServedList list(
      String user, String listId, String variant, List<String> items, long servedAt) {
    return new ServedList(user, listId, EXP, variant, items, servedAt, false, 4.0);
  }

  private static UserAction act(String user, String item, String type, long ts, String listId) {
    return new UserAction(user, item, type, ts, listId);
  }

  /**
   * Four users, two variants, maxUsers 3. Every expected outcome below is worked out by hand from
   * the rules; the comments say which rule decides each field.
   */
  @Test
  void aScriptedStreamFinishesEveryListWithWhatItEarned() {
    var a = attribution(3);
    var l1 = new ServedList("u1", "L1", EXP, "A", List.of("i1", "i2", "i3", "i4"), T0, false, 3.0);
    a.served(l1);
    // A second impression of L1: ignored, even with a later time.
    a.served(
        new ServedList(
            "u1", "L1", EXP, "A", List.of("i1", "i2", "i3", "i4"), at(0, 1), false, 3.0));
    assertEquals(1, a.openLists(), "a repeated impression does not open a second list");
    a.action(
        act("u1", "i3", "view", at(0, 10), null)); // L1 next action: rank 3; a view credits nothing
    a.action(act("u1", "i3", "click", at(0, 20), null)); // L1 contains i3: clicks 1
    a.served(new ServedList("u2", "L2", EXP, "B", List.of("j1", "j2"), at(1, 0), false, 12.0));
    a.action(
        act(
            "u2", "j9", "click", at(2, 0),
            "L2")); // L2 next action: j9 not in it, rank 0; named: clicks 1
    a.action(act("u2", "j1", "purchase", at(3, 0), null)); // L2 contains j1: purchased
    a.served(new ServedList("u1", "L3", EXP, "B", List.of("i5", "i1"), at(5, 0), true, 0.5));
    // L3's next action: rank 2 (L1 already has one). Both L1 and L3 contain i1: the most recent,
    // L3,
    // is carted.
    a.action(act("u1", "i1", "add_to_cart", at(6, 0), null));
    a.action(
        act("u1", "i1", "click", at(7, 0), "L1")); // named L1, not the most recent: L1 clicks 2
    var twelve = IntStream.rangeClosed(1, 12).mapToObj(i -> "k" + i).toList();
    a.served(
        new ServedList("u3", "L4", EXP, "A", twelve, at(8, 0), false, 700.0)); // never acted on
    assertEquals(4, a.openLists());
    assertEquals(List.of(), outcomes, "nothing has finished yet");

    // u4 makes 4 users with open lists: u2, quiet since 00:03:00, is evicted with what L2 has.
    a.served(new ServedList("u4", "L5", EXP, "A", List.of("m1", "m2", "m3"), at(9, 0), false, 1.5));
    var l2 = new ListOutcome(EXP, "B", 2, true, 1, false, true, 0, false, 12.0);
    assertEquals(List.of(l2), outcomes);
    a.action(act("u2", "j2", "click", at(9, 30), "L2")); // L2 is gone: dropped
    a.action(
        act(
            "u4", "m3", "rating", at(10, 0),
            null)); // L5 next action: rank 3; a rating credits nothing

    // u1's click at 31:00 is past L1's window (closes after 30:00): L1 finishes first, and L3 does
    // not contain i2, so the click is dropped. L3 keeps its next action (rank 2).
    a.action(act("u1", "i2", "click", at(31, 0), null));
    var l1Done = new ListOutcome(EXP, "A", 4, true, 2, false, false, 3, false, 3.0);
    assertEquals(List.of(l2, l1Done), outcomes);

    // The watermark at 38:00 closes L3 (window ended 35:00); L4's window ends exactly at 38:00 and
    // is
    // inclusive, so L4 stays open.
    a.advanceTo(at(38, 0));
    var l3Done = new ListOutcome(EXP, "B", 2, false, 0, true, false, 2, true, 0.5);
    assertEquals(List.of(l2, l1Done, l3Done), outcomes);
    assertEquals(2, a.openLists());
    a.advanceTo(at(20, 0)); // the watermark does not go back
    assertEquals(2, a.openLists());
    a.advanceTo(at(38, 0) + 1);
    var l4Done = new ListOutcome(EXP, "A", 12, false, 0, false, false, null, false, 700.0);
    assertEquals(List.of(l2, l1Done, l3Done, l4Done), outcomes);

    a.finishAll();
    var l5Done = new ListOutcome(EXP, "A", 3, false, 0, false, false, 3, false, 1.5);
    assertEquals(List.of(l2, l1Done, l3Done, l4Done, l5Done), outcomes);
    assertEquals(0, a.openLists());

    // NDCG@10 by hand: L2 rank 0 -> 0; L1 rank 3 -> 1/log2(4) = 0.5; L3 rank 2 -> 1/log2(3); L4 has
    // no next action; L5 rank 3 -> 0.5.
    assertEquals(0.0, l2.ndcgAt10());
    assertEquals(0.5, l1Done.ndcgAt10(), 1e-12);
    assertEquals(0.6309297535714574, l3Done.ndcgAt10(), 1e-12);
    assertEquals(0.5, l5Done.ndcgAt10(), 1e-12);
  }

  @Test
  void aRepeatedImpressionOfAFinishedListDoesNotCountItTwice() {
    var a = attribution(10);
    a.served(list("u1", "L1", "A", List.of("i1"), T0));
    a.action(act("u1", "i1", "click", at(31, 0), null)); // closes L1
    assertEquals(1, outcomes.size());
    a.served(list("u1", "L1", "A", List.of("i1"), at(32, 0)));
    assertEquals(0, a.openLists());
    a.finishAll();
    assertEquals(1, outcomes.size());
  }

  @Test
  void anActionNamingAnotherUsersListIsDroppedButStillSetsTheNextAction() {
    var a = attribution(10);
    a.served(list("u1", "L1", "A", List.of("i1", "i2"), T0));
    a.served(list("u2", "L2", "A", List.of("i1", "i2"), T0));
    a.action(act("u2", "i2", "click", at(1, 0), "L1"));
    a.finishAll();
    assertEquals(
        List.of(
            new ListOutcome(EXP, "A", 2, false, 0, false, false, null, false, 4.0),
            new ListOutcome(EXP, "A", 2, false, 0, false, false, 2, false, 4.0)),
        outcomes);
  }

  @Test
  void anActionBeforeAListWasServedNeitherRanksNorCreditsIt() {
    var a = attribution(10);
    a.served(list("u1", "L1", "A", List.of("i1", "i2"), at(1, 0)));
    a.action(act("u1", "i2", "click", at(0, 30), null)); // client clock behind the server's
    a.action(act("u1", "i1", "click", at(2, 0), null));
    a.finishAll();
    assertEquals(
        List.of(new ListOutcome(EXP, "A", 2, true, 1, false, false, 1, false, 4.0)), outcomes);
  }

  @Test
  void aShadowListTakesTheNextActionsRankAndIsNeverCredited() {
    var a = attribution(10);
    a.served(list("u1", "L1", "A", List.of("i1", "i2"), T0));
    a.served(new ServedList("u1", "S1", EXP, "S", List.of("i2", "i3"), T0, false, 4.0, true));
    // Clicks on an item both lists hold: the shown list earns them, the newer shadow list never,
    // not even when the click names it.
    a.action(act("u1", "i2", "click", at(1, 0), null));
    a.action(act("u1", "i2", "click", at(1, 1), "S1"));
    a.finishAll();
    assertEquals(
        List.of(
            new ListOutcome(EXP, "A", 2, true, 1, false, false, 2, false, 4.0),
            new ListOutcome(EXP, "S", 2, false, 0, false, false, 1, false, 4.0)),
        outcomes);
  }

  @Test
  void unknownActionTypesCountForNothing() {
    var a = attribution(10);
    a.served(list("u1", "L1", "A", List.of("i1"), T0));
    a.action(act("u1", "i1", "share", at(1, 0), "L1"));
    a.finishAll();
    assertEquals(
        List.of(new ListOutcome(EXP, "A", 1, false, 0, false, false, null, false, 4.0)), outcomes);
  }

  @Test
  void actionsOfAUserWithNoOpenListAreDropped() {
    var a = attribution(10);
    a.action(act("u9", "i1", "click", T0, null));
    a.action(act("u9", "i1", "click", T0, "L1"));
    a.finishAll();
    assertEquals(List.of(), outcomes);
  }

  @Test
  void eviction_finishesEveryListOfTheQuietestUser() {
    var a = attribution(2);
    a.served(list("u1", "L1", "A", List.of("i1"), at(0, 0)));
    a.served(list("u1", "L2", "B", List.of("i1"), at(0, 10)));
    a.served(list("u2", "L3", "A", List.of("i1"), at(0, 20)));
    a.action(act("u1", "i1", "click", at(0, 30), null)); // u1 is now the more recent: u2 goes first
    a.served(list("u3", "L4", "A", List.of("i1"), at(0, 40)));
    assertEquals(
        List.of(new ListOutcome(EXP, "A", 1, false, 0, false, false, null, false, 4.0)), outcomes);
    a.served(list("u4", "L5", "A", List.of("i1"), at(0, 50)));
    assertEquals(
        List.of(
            new ListOutcome(EXP, "A", 1, false, 0, false, false, null, false, 4.0),
            new ListOutcome(EXP, "A", 1, false, 0, false, false, 1, false, 4.0),
            new ListOutcome(EXP, "B", 1, true, 1, false, false, 1, false, 4.0)),
        outcomes,
        "u1's two lists, oldest first; the click went to its most recent list, L2");
    assertEquals(2, a.openLists());
  }

  @Test
  void rejectsANonPositiveWindowOrUserBound() {
    assertThrows(
        IllegalArgumentException.class, () -> new ListAttribution(Duration.ZERO, 1, o -> {}));
    assertThrows(IllegalArgumentException.class, () -> new ListAttribution(WINDOW, 0, o -> {}));
  }

  @Test
  void servedListCopiesItsItems() {
    var items = new ArrayList<>(List.of("i1", "i2"));
    var served = list("u1", "L1", "A", items, T0);
    items.add("i3");
    assertEquals(List.of("i1", "i2"), served.items());
    assertEquals(2, served.rankOf("i2"));
    assertEquals(0, served.rankOf("i3"));
  }

  /**
   * A served list tagged by its number: {@code tookMs} is n, so outcomes say which list they are.
   */
  private static ServedList tagged(String user, int n, List<String> items, long servedAt) {
    return new ServedList(user, "L" + n, EXP, "A", items, servedAt, false, n);
  }

  private static void feed(ListAttribution a, List<Object> events) {
    for (var e : events) {
      if (e instanceof ServedList s) {
        a.served(s);
      } else if (e instanceof UserAction u) {
        a.action(u);
      } else {
        a.advanceTo((Long) e);
      }
    }
  }

  private static ListAttribution.State jsonRoundTrip(ListAttribution.State state) throws Exception {
    var json = JsonMapper.builder().build();
    return json.readValue(json.writeValueAsString(state), ListAttribution.State.class);
  }

  /**
   * The crash-recovery contract: an instance restored from a checkpoint taken mid-stream, fed the
   * rest of the stream, finishes exactly the lists that an instance fed the whole stream finishes
   * after that point, in the same order. maxUsers 3, so the checkpoint also has to carry the
   * eviction order and which finished ids are still remembered.
   */
  @Test
  void aRestoredCheckpointGoesOnExactlyLikeTheUninterruptedRun() throws Exception {
    List<Object> beforeCheckpoint =
        List.of(
            tagged("u1", 1, List.of("i1", "i2", "i3"), T0),
            act("u1", "i2", "view", at(0, 10), null), // L1 next action: rank 2
            tagged("u2", 2, List.of("j1", "j2"), at(1, 0)),
            tagged("u2", 3, List.of("j2", "j3"), at(1, 0)), // same millisecond as L2
            tagged("u3", 4, List.of("k1", "k2"), at(2, 0)),
            act("u3", "k1", "click", at(2, 30), null), // L4 clicks 1
            act("u1", "i1", "click", at(3, 0), null), // L1 clicks 1
            tagged("u4", 5, List.of("m1", "m2"), at(4, 0)), // 4 users: u2 evicted, L2 then L3
            tagged("u1", 6, List.of("i4", "i1"), at(20, 0)),
            tagged("u3", 7, List.of("k3"), at(4, 0)), // same millisecond as L5, another user
            act("u1", "i4", "add_to_cart", at(31, 0), null), // closes L1; L6 carted
            // The watermark closes L4; looking up u3, who still has L7, makes u3 recent, so u1, not
            // u3, is now the quietest user.
            at(32, 30));
    List<Object> afterCheckpoint =
        List.of(
            act("u4", "m2", "click", at(33, 0), "L5"), // L5, open across the checkpoint, clicks 1
            tagged("u5", 8, List.of("n1"), at(33, 30)), // 4 users: the quietest, u1, evicted (L6)
            tagged("u1", 1, List.of("i1", "i2", "i3"), at(34, 0)), // L1 finished: ignored
            act("u1", "i1", "click", at(34, 10), null), // u1 has no open list: dropped
            tagged("u5", 9, List.of("n1", "n2"), at(34, 30)),
            tagged("u5", 10, List.of("n3"), at(34, 30)), // same millisecond as L9
            at(35, 0), // closes L5, then L7: same servedAt, L5 arrived first
            act("u5", "n3", "click", at(36, 0), null)); // L10 clicks 1; L8, L9 next rank 0

    var reference = new ArrayList<ListOutcome>();
    var r = new ListAttribution(WINDOW, 3, reference::add);
    feed(r, beforeCheckpoint);
    feed(r, afterCheckpoint);
    r.finishAll();
    assertEquals(
        List.of(2.0, 3.0, 1.0, 4.0, 6.0, 5.0, 7.0, 8.0, 9.0, 10.0),
        reference.stream().map(ListOutcome::tookMs).toList(),
        "the script finishes every list once, in the order worked out in its comments");

    var x = new ListAttribution(WINDOW, 3, outcomes::add);
    feed(x, beforeCheckpoint);
    var beforeCrash = List.copyOf(outcomes);
    var checkpoint = x.state();
    var stored = jsonRoundTrip(checkpoint);
    assertEquals(checkpoint, stored);
    assertEquals(3, stored.open().size());
    assertEquals(List.of("L3", "L1", "L4"), stored.recentlyFinished());

    var afterRestore = new ArrayList<ListOutcome>();
    var y = ListAttribution.restore(stored, WINDOW, 3, afterRestore::add);
    assertEquals(checkpoint, y.state(), "the restored instance is in the checkpointed state");
    feed(y, afterCheckpoint);
    feed(x, afterCheckpoint);
    assertEquals(x.state(), y.state(), "and stays in step with the original");
    y.finishAll();
    x.finishAll();

    var recovered = new ArrayList<>(beforeCrash);
    recovered.addAll(afterRestore);
    assertEquals(reference, recovered);
    assertEquals(reference, outcomes, "taking a snapshot does not disturb the original");
  }

  @Test
  void theStateOfAFreshInstanceRoundTripsAndRestores() throws Exception {
    var empty = attribution(2).state();
    assertEquals(new ListAttribution.State(Long.MIN_VALUE, List.of(), List.of()), empty);
    assertEquals(empty, jsonRoundTrip(empty));
    var restored = ListAttribution.restore(empty, WINDOW, 2, outcomes::add);
    assertEquals(0, restored.openLists());
    assertEquals(empty, restored.state());
  }

  @Test
  void restoreRejectsAStateNoInstanceCouldHaveBeenIn() {
    var l1 =
        new ListAttribution.OpenList(
            list("u1", "L1", "A", List.of("i1"), T0), 0, 0, false, false, null);
    var l2 =
        new ListAttribution.OpenList(
            list("u2", "L2", "A", List.of("i1"), T0), 1, 0, false, false, null);
    var l3 =
        new ListAttribution.OpenList(
            list("u1", "L3", "A", List.of("i1"), T0), 2, 0, false, false, null);
    var sameId =
        new ListAttribution.OpenList(
            list("u2", "L1", "A", List.of("i1"), T0), 1, 0, false, false, null);
    var sameOrder =
        new ListAttribution.OpenList(
            list("u2", "L2", "A", List.of("i1"), T0), 0, 0, false, false, null);
    for (var open : List.of(List.of(l1, sameId), List.of(l1, sameOrder), List.of(l1, l2, l3))) {
      var state = new ListAttribution.State(0, open, List.of());
      assertThrows(
          IllegalArgumentException.class,
          () -> ListAttribution.restore(state, WINDOW, 10, outcomes::add),
          open.toString());
    }
    var openAndFinished = new ListAttribution.State(0, List.of(l1), List.of("L1"));
    assertThrows(
        IllegalArgumentException.class,
        () -> ListAttribution.restore(openAndFinished, WINDOW, 10, outcomes::add));
  }
}
