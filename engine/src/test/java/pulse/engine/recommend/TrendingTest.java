package pulse.engine.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import pulse.engine.event.EventType;
import pulse.engine.recommend.Trending.Scored;

class TrendingTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long HOUR = Duration.ofHours(1).toMillis();

  private final Trending trending = new Trending(TrendingSettings.defaults());

  /** Views weigh 1, nothing else counts. */
  static TrendingSettings settings(Duration halfLife, int maxItems) {
    return new TrendingSettings(
        halfLife, maxItems, Map.of(EventType.VIEW, 1.0), TrendingSettings.defaults().sharing());
  }

  private static List<String> ids(List<Scored> scored) {
    return scored.stream().map(Scored::itemId).toList();
  }

  @Test
  void aScoreHalvesEveryHalfLife() {
    trending.record("a", List.of(), EventType.VIEW, T0);
    assertEquals(1.0, trending.score("a", T0), 1e-12);
    assertEquals(0.5, trending.score("a", T0 + HOUR), 1e-12);
    assertEquals(0.25, trending.score("a", T0 + 2 * HOUR), 1e-12);
    assertEquals(0.25, trending.top(1, null, null, T0 + 2 * HOUR).get(0).score(), 1e-12);
  }

  @Test
  void eventTypesWeighAsConfiguredAndImpressionsAndSearchesAreNotCounted() {
    trending.record("viewed", List.of(), EventType.VIEW, T0);
    trending.record("bought", List.of(), EventType.PURCHASE, T0);
    trending.record("carted", List.of(), EventType.ADD_TO_CART, T0);
    trending.record("shown", List.of(), EventType.IMPRESSION, T0);
    trending.record(null, List.of(), EventType.SEARCH, T0);
    assertEquals(
        List.of(new Scored("bought", 5), new Scored("carted", 3), new Scored("viewed", 1)),
        trending.top(10, null, null, T0));
    assertEquals(3, trending.size());
  }

  @Test
  void recentActivityOutranksOlderActivityOfTheSameAmount() {
    trending.record("old", List.of(), EventType.PURCHASE, T0);
    trending.record("new", List.of(), EventType.CLICK, T0 + 2 * HOUR); // 2 > 5 / 4
    trending.record("tie-b", List.of(), EventType.VIEW, T0 + 2 * HOUR);
    trending.record("tie-a", List.of(), EventType.VIEW, T0 + 2 * HOUR);
    assertEquals(
        List.of("new", "old", "tie-a", "tie-b"), ids(trending.top(10, null, null, T0 + 2 * HOUR)));
    assertEquals(List.of("new", "old"), ids(trending.top(2, null, null, T0 + 2 * HOUR)));
    assertEquals(List.of(), trending.top(0, null, null, T0));
  }

  @Test
  void aCategoryListsOnlyItsItemsAndFollowsTheLatestCategories() {
    trending.record("book1", List.of("books"), EventType.VIEW, T0);
    trending.record("book2", List.of("books", "gifts"), EventType.PURCHASE, T0);
    trending.record("mug", List.of("kitchen", "gifts"), EventType.CLICK, T0);
    assertEquals(List.of("book2", "book1"), ids(trending.top(10, "books", null, T0)));
    assertEquals(List.of("book2", "mug"), ids(trending.top(10, "gifts", null, T0)));
    assertEquals(List.of(), trending.top(10, "garden", null, T0));

    trending.record("mug", List.of("kitchen"), EventType.VIEW, T0);
    assertEquals(List.of("book2"), ids(trending.top(10, "gifts", null, T0)));
    assertEquals(List.of("mug"), ids(trending.top(10, "kitchen", null, T0)));
    assertEquals(3.0, trending.score("mug", T0), 1e-12);
  }

  @Test
  void itemsTheCallerDoesNotAllowAreSkippedAndTheListIsStillFilled() {
    for (int i = 0; i < 10; i++) {
      trending.record(
          "item" + i, List.of("c"), EventType.VIEW, T0 + i); // item9 is the newest, so the best
    }
    Set<String> unavailable = Set.of("item9", "item7");
    assertEquals(
        List.of("item8", "item6", "item5"),
        ids(trending.top(3, null, id -> !unavailable.contains(id), T0 + 10)));
    assertEquals(
        List.of("item8", "item6", "item5"),
        ids(trending.top(3, "c", id -> !unavailable.contains(id), T0 + 10)));
    assertEquals(List.of(), trending.top(3, null, id -> false, T0 + 10));
  }

  @Test
  void atMostMaxItemsAreKeptAndTheLowestIsForgotten() {
    Trending small = new Trending(settings(Duration.ofHours(1), 3));
    small.record("a", List.of("x"), EventType.VIEW, T0);
    small.record("a", List.of("x"), EventType.VIEW, T0);
    small.record("b", List.of("x"), EventType.VIEW, T0 + 1);
    small.record("c", List.of("y"), EventType.VIEW, T0 + 2);
    small.record(
        "d", List.of("y"), EventType.VIEW, T0 + 3); // evicts b, the weakest (a has 2 views)
    assertEquals(3, small.size());
    assertEquals(List.of("a", "d", "c"), ids(small.top(10, null, null, T0 + 3)));
    assertEquals(List.of("a"), ids(small.top(10, "x", null, T0 + 3)));
    assertEquals(0.0, small.score("b", T0 + 3));

    small.record(
        "stale", List.of("x"), EventType.VIEW, T0 - 10 * HOUR); // weaker than all: not kept
    assertEquals(List.of("a", "d", "c"), ids(small.top(10, null, null, T0 + 3)));
    for (int i = 0; i < 1000; i++) {
      small.record("n" + i, List.of("z" + i), EventType.VIEW, T0 + 4 + i);
    }
    // Two views a second older still beat one newer view; every other old item made way.
    assertEquals(3, small.size());
    assertEquals(List.of("a", "n999", "n998"), ids(small.top(10, null, null, T0 + 2000)));
    assertEquals(List.of(), small.top(10, "z0", null, T0 + 2000));
    assertEquals(List.of(), small.top(10, "y", null, T0 + 2000));
  }

  @Test
  void anOutOfOrderEventCountsAsIfItHadArrivedInOrder() {
    Trending inOrder = new Trending(TrendingSettings.defaults());
    inOrder.record("a", List.of(), EventType.VIEW, T0);
    inOrder.record("a", List.of(), EventType.CLICK, T0 + HOUR);
    inOrder.record("b", List.of(), EventType.VIEW, T0 + HOUR);

    trending.record("a", List.of(), EventType.CLICK, T0 + HOUR);
    trending.record("b", List.of(), EventType.VIEW, T0 + HOUR);
    trending.record("a", List.of(), EventType.VIEW, T0); // late by an hour: enters already halved

    assertEquals(2.5, trending.score("a", T0 + HOUR), 1e-12);
    List<Scored> expected = inOrder.top(10, null, null, T0 + 3 * HOUR);
    List<Scored> actual = trending.top(10, null, null, T0 + 3 * HOUR);
    assertEquals(ids(expected), ids(actual));
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).score(), actual.get(i).score(), 1e-12);
    }
  }

  @Test
  void scoresStayExactAndFiniteAcrossManyRescalings() {
    // A 1 s half-life over 3 hours is ~10,800 half-lives: the stored scale would overflow ~37 times
    // over.
    Trending fast = new Trending(settings(Duration.ofSeconds(1), 100));
    fast.record("forgotten", List.of("c"), EventType.VIEW, T0);
    long end = T0 + Duration.ofHours(3).toMillis();
    for (long t = T0; t <= end; t += 1000) {
      fast.record("steady", List.of("c"), EventType.VIEW, t);
    }
    // One view a half-life, forever: 1 + 1/2 + 1/4 + ... = 2.
    assertEquals(2.0, fast.score("steady", end), 1e-9);
    assertEquals(1.0, fast.score("steady", end + 1000), 1e-9);
    assertEquals(List.of("steady"), ids(fast.top(10, "c", null, end)));
    assertEquals(1, fast.size()); // "forgotten" decayed to nothing and was dropped at a rescaling
    fast.record("late", List.of("c"), EventType.VIEW, end - 2000);
    assertEquals(0.25, fast.score("late", end), 1e-12);
    assertTrue(Double.isFinite(fast.top(1, null, null, end).get(0).score()));
  }

  @Test
  void aJumpFarAheadForgetsEverythingOlder() {
    trending.record("a", List.of("c"), EventType.PURCHASE, T0);
    trending.record("b", List.of("c"), EventType.VIEW, T0 + 2000 * HOUR);
    assertEquals(List.of("b"), ids(trending.top(10, "c", null, T0 + 2000 * HOUR)));
    assertEquals(1.0, trending.score("b", T0 + 2000 * HOUR), 1e-12);
  }

  @Test
  void aNegativeScoreWithdrawsAndACancelledItemLeavesTheLists() {
    trending.record("a", List.of("c"), EventType.PURCHASE, T0);
    trending.record("b", List.of("c"), EventType.VIEW, T0);
    trending.add("a", null, -1.25, T0 + HOUR); // half of what a's 5 is an hour later
    assertEquals(1.25, trending.score("a", T0 + HOUR), 1e-12);
    assertEquals(List.of("a", "b"), ids(trending.top(10, "c", null, T0)), "categories kept");

    trending.add("a", null, -1.25, T0 + HOUR); // the rest, up to rounding
    assertEquals(List.of("b"), ids(trending.top(10, null, null, T0)));
    assertEquals(List.of("b"), ids(trending.top(10, "c", null, T0)));
    assertEquals(1, trending.size(), "gone, not kept at a score of 1e-16");
  }

  @Test
  void aWithdrawalAheadOfWhatItWithdrawsIsNeverListedAndCancelsItLater() {
    trending.add("x", List.of("c"), -3, T0);
    trending.record("y", List.of("c"), EventType.VIEW, T0);
    assertEquals(List.of("y"), ids(trending.top(10, null, null, T0)));
    assertEquals(List.of("y"), ids(trending.top(10, "c", null, T0)));
    trending.record("x", List.of("c"), EventType.ADD_TO_CART, T0); // the 3 it withdraws
    assertEquals(List.of("y"), ids(trending.top(10, null, null, T0)));
    assertEquals(1, trending.size());
  }

  @Test
  void aSnapshotHoldsTheBestItemsAndEachCategorysBestScoredAsOfItsTime() {
    trending.record("top1", List.of("big"), EventType.PURCHASE, T0);
    trending.record("top2", List.of("big"), EventType.ADD_TO_CART, T0);
    trending.record("top3", List.of("big"), EventType.CLICK, T0);
    trending.record("niche", List.of("small"), EventType.VIEW, T0);
    TrendingSnapshot s = trending.snapshot(2, 1, T0 + HOUR);
    assertEquals(T0 + HOUR, s.atMillis());
    assertEquals(
        List.of("top1", "top2", "niche"),
        s.items().stream().map(TrendingSnapshot.Item::itemId).toList(),
        "the two best, then small's best (big's best is in already)");
    assertEquals(2.5, s.items().get(0).score(), 1e-12);
    assertEquals(1.5, s.items().get(1).score(), 1e-12);
    assertEquals(0.5, s.items().get(2).score(), 1e-12);
    assertEquals(List.of("small"), s.items().get(2).categories());
    assertEquals(2, trending.snapshot(2, 0, T0).items().size());
    assertEquals(List.of(), new Trending(TrendingSettings.defaults()).snapshot(5, 5, T0).items());
  }

  @Test
  void replacingAShareMovesItemsByTheDifferenceAndWithdrawsWhatItNoLongerHolds() {
    Trending peer = new Trending(TrendingSettings.defaults());
    peer.record("a", List.of("c"), EventType.PURCHASE, T0);
    peer.record("b", List.of("c"), EventType.CLICK, T0);
    TrendingSnapshot first = peer.snapshot(10, 0, T0);
    trending.record("a", List.of("c"), EventType.VIEW, T0);
    trending.replace(TrendingSnapshot.EMPTY, first);
    assertEquals(6.0, trending.score("a", T0), 1e-12);
    assertEquals(2.0, trending.score("b", T0), 1e-12);

    // An hour later the peer saw a's purchase again; b fell out of its share.
    peer.record("a", List.of("c", "d"), EventType.PURCHASE, T0 + HOUR);
    TrendingSnapshot second =
        new TrendingSnapshot(
            T0 + HOUR,
            peer.snapshot(10, 0, T0 + HOUR).items().stream()
                .filter(i -> i.itemId().equals("a"))
                .toList());
    trending.replace(first, second);
    assertEquals(0.5 + 7.5, trending.score("a", T0 + HOUR), 1e-12);
    assertEquals(0.0, trending.score("b", T0 + HOUR));
    assertEquals(List.of("a"), ids(trending.top(10, "d", null, T0 + HOUR)), "latest categories");

    trending.replace(second, TrendingSnapshot.EMPTY);
    assertEquals(List.of("a"), ids(trending.top(10, null, null, T0 + HOUR)));
    assertEquals(0.5, trending.score("a", T0 + HOUR), 1e-12);
  }
}
