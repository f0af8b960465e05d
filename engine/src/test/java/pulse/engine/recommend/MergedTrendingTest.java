package pulse.engine.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pulse.engine.event.EventType;
import pulse.engine.recommend.Trending.Scored;

/** The sums behind the cluster-wide fallback, without actors: nodes are objects, shares handed. */
class MergedTrendingTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long HOUR = Duration.ofHours(1).toMillis();

  private final MergedTrending a = new MergedTrending(TrendingSettings.defaults());
  private final MergedTrending b = new MergedTrending(TrendingSettings.defaults());

  private static List<String> ids(List<Scored> scored) {
    return scored.stream().map(Scored::itemId).toList();
  }

  /** Same items in the same order with the same scores, up to rounding. */
  private static void assertSameList(List<Scored> expected, List<Scored> actual) {
    assertEquals(ids(expected), ids(actual));
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).score(), actual.get(i).score(), 1e-9);
    }
  }

  @Test
  void aNodeAloneServesItsEventsAtOnceAsBefore() {
    Trending plain = new Trending(TrendingSettings.defaults());
    record(a, plain, "x", List.of("c"), EventType.CLICK, T0);
    record(a, plain, "y", List.of("d"), EventType.PURCHASE, T0 + 1);
    assertSameList(plain.top(10, null, null, T0 + 2), a.view().top(10, null, null, T0 + 2));
    assertEquals(List.of("x"), ids(a.view().top(10, "c", null, T0 + 2)));
    a.peers(Map.of());
    assertSameList(plain.top(10, null, null, T0 + 2), a.view().top(10, null, null, T0 + 2));
  }

  @Test
  void everyNodeServesEveryNodesEventsAsIfCountedInOnePlace() {
    Trending everything = new Trending(TrendingSettings.defaults());
    record(a, everything, "shoe", List.of("wear"), EventType.PURCHASE, T0);
    record(a, everything, "hat", List.of("wear"), EventType.VIEW, T0 + HOUR);
    record(b, everything, "shoe", List.of("wear"), EventType.CLICK, T0 + HOUR / 2);
    record(b, everything, "pan", List.of("kitchen"), EventType.ADD_TO_CART, T0 + 2 * HOUR);

    long now = T0 + 2 * HOUR;
    a.peers(Map.of("b", b.share(now)));
    b.peers(Map.of("a", a.share(now)));

    long later = now + 3 * HOUR; // the shares decay on like the events
    for (MergedTrending node : List.of(a, b)) {
      assertSameList(everything.top(10, null, null, later), node.view().top(10, null, null, later));
      assertSameList(
          everything.top(10, "wear", null, later), node.view().top(10, "wear", null, later));
    }
    assertEquals(List.of("pan"), ids(a.view().top(10, "kitchen", null, later)));
  }

  @Test
  void aNewerShareReplacesThePreviousOneAndAShareNoLongerThereIsWithdrawn() {
    a.record("mine", List.of(), EventType.VIEW, T0);
    b.record("theirs", List.of(), EventType.CLICK, T0);
    a.peers(Map.of("b", b.share(T0)));
    b.record("theirs", List.of(), EventType.CLICK, T0 + HOUR);
    b.record("new", List.of(), EventType.PURCHASE, T0 + HOUR);
    a.peers(Map.of("b", b.share(T0 + HOUR)));
    a.peers(Map.of("b", b.share(T0 + HOUR))); // the same share again changes nothing

    // theirs: 2 an hour ago (1 now) and 2 now; not 1 + 1 + 2 as if the first share stayed.
    assertEquals(3.0, a.view().score("theirs", T0 + HOUR), 1e-9);
    assertEquals(List.of("new", "theirs", "mine"), ids(a.view().top(10, null, null, T0 + HOUR)));

    a.peers(Map.of());
    assertEquals(List.of("mine"), ids(a.view().top(10, null, null, T0 + HOUR)));
    assertEquals(
        List.of("mine"),
        a.share(T0 + HOUR).items().stream().map(TrendingSnapshot.Item::itemId).toList());
  }

  @Test
  void aNodeSharesOnlyWhatItCountedNotWhatItWasGiven() {
    b.record("theirs", List.of(), EventType.CLICK, T0);
    a.peers(Map.of("b", b.share(T0)));
    long before = a.ownChanges();
    a.peers(Map.of("b", b.share(T0 + 1)));
    assertEquals(before, a.ownChanges(), "a peer's share is no change of a's own");
    assertTrue(a.share(T0).items().isEmpty());
    a.record("mine", List.of(), EventType.VIEW, T0);
    assertTrue(a.ownChanges() > before);
  }

  @Test
  void aRestartedNodeCarriesOnItsPredecessorsShareAndTheOthersSeeNoJump() {
    b.record("theirs", List.of("c"), EventType.PURCHASE, T0);
    TrendingSnapshot predecessor = b.share(T0 + HOUR);
    a.peers(Map.of("b", predecessor));

    MergedTrending restarted = new MergedTrending(TrendingSettings.defaults());
    restarted.seed(predecessor);
    restarted.record("theirs", List.of("c"), EventType.VIEW, T0 + 2 * HOUR);

    // 5 two hours ago and 1 now, in its own share and in what it serves.
    assertEquals(2.25, restarted.view().score("theirs", T0 + 2 * HOUR), 1e-9);
    TrendingSnapshot successor = restarted.share(T0 + 2 * HOUR);
    assertEquals(2.25, successor.items().get(0).score(), 1e-9);
    assertEquals(List.of("c"), successor.items().get(0).categories());

    a.peers(Map.of("b", successor)); // same address, so it replaces its predecessor's
    assertEquals(2.25, a.view().score("theirs", T0 + 2 * HOUR), 1e-9);
  }

  @Test
  void aNegativeShareWithdrawsWhateverOrderItArrivesIn() {
    // How a forget would take a user's events out: their contribution, negated, as a share.
    TrendingSnapshot withdrawal =
        new TrendingSnapshot(T0, List.of(new TrendingSnapshot.Item("x", -3, List.of())));
    b.record("x", List.of(), EventType.ADD_TO_CART, T0);
    b.record("x", List.of(), EventType.VIEW, T0);
    b.record("y", List.of(), EventType.VIEW, T0);

    a.peers(Map.of("forget:u1", withdrawal));
    assertEquals(List.of(), a.view().top(10, null, null, T0), "never listed below zero");
    a.peers(Map.of("forget:u1", withdrawal, "b", b.share(T0)));
    assertEquals(1.0, a.view().score("x", T0), 1e-9);
    assertEquals(List.of("x", "y"), ids(a.view().top(10, null, null, T0)));
  }

  private static void record(
      MergedTrending node,
      Trending plain,
      String item,
      List<String> categories,
      EventType type,
      long at) {
    node.record(item, categories, type, at);
    plain.record(item, categories, type, at);
  }
}
