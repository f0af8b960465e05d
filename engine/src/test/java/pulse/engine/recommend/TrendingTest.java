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
    Trending small =
        new Trending(new TrendingSettings(Duration.ofHours(1), 3, Map.of(EventType.VIEW, 1.0)));
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
    Trending fast =
        new Trending(new TrendingSettings(Duration.ofSeconds(1), 100, Map.of(EventType.VIEW, 1.0)));
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
}
