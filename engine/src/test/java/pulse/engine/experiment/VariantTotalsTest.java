package pulse.engine.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VariantTotalsTest {
  private static final String EXP = "ranker-v2";
  private static final double ONE_OVER_LOG2_3 = 0.6309297535714574; // ln 2 / ln 3

  // The five outcomes of ListAttributionTest's scripted stream.
  private static final ListOutcome L1 =
      new ListOutcome(EXP, "A", 4, true, 2, false, false, 3, false, 3.0);
  private static final ListOutcome L2 =
      new ListOutcome(EXP, "B", 2, true, 1, false, true, 0, false, 12.0);
  private static final ListOutcome L3 =
      new ListOutcome(EXP, "B", 2, false, 0, true, false, 2, true, 0.5);
  private static final ListOutcome L4 =
      new ListOutcome(EXP, "A", 12, false, 0, false, false, null, false, 700.0);
  private static final ListOutcome L5 =
      new ListOutcome(EXP, "A", 3, false, 0, false, false, 3, false, 1.5);

  private static List<Long> buckets(long... counts) {
    return Arrays.stream(counts).boxed().toList();
  }

  private static VariantTotals totalsOfTheScript() {
    var totals = new VariantTotals();
    List.of(L2, L1, L3, L4, L5).forEach(totals::add);
    totals.add(new ListOutcome("other-exp", "A", 5, true, 5, true, true, 1, true, 1.0));
    return totals;
  }

  @Test
  void ndcgAt10IsOneOverLog2OfRankPlusOneWithinTheTopTen() {
    assertEquals(1.0, outcomeRanked(1).ndcgAt10(), 1e-12);
    assertEquals(ONE_OVER_LOG2_3, outcomeRanked(2).ndcgAt10(), 1e-12);
    assertEquals(0.5, outcomeRanked(3).ndcgAt10(), 1e-12);
    assertEquals(1.0 / (Math.log(11) / Math.log(2)), outcomeRanked(10).ndcgAt10(), 1e-12);
    assertEquals(0.0, outcomeRanked(11).ndcgAt10());
    assertEquals(0.0, outcomeRanked(0).ndcgAt10());
    assertEquals(0.0, outcomeRanked(null).ndcgAt10());
  }

  private static ListOutcome outcomeRanked(Integer rank) {
    return new ListOutcome(EXP, "A", 20, false, 0, false, false, rank, false, 1.0);
  }

  @Test
  void variantAOfTheScript() {
    var a = totalsOfTheScript().snapshot(EXP, "A").orElseThrow();
    // L1, L4, L5: 4 + 12 + 3 items; L1 clicked twice; L1 (rank 3) and L5 (rank 3) have a next
    // action.
    assertEquals(3, a.lists());
    assertEquals(19, a.impressions());
    assertEquals(1, a.clickedLists());
    assertEquals(2, a.clicks());
    assertEquals(0, a.cartedLists());
    assertEquals(0, a.purchasedLists());
    assertEquals(2, a.listsWithNextAction());
    assertEquals(2, a.ndcgN());
    assertEquals(1.0, a.ndcgSum(), 1e-12); // 0.5 + 0.5
    assertEquals(0.5, a.ndcgSumOfSquares(), 1e-12); // 0.25 + 0.25
    assertEquals(0, a.fallbackLists());
    // 1.5 ms -> (1, 2]; 3 ms -> (2, 5]; 700 ms -> (500, 1000].
    assertEquals(buckets(0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0), a.latencyBucketCounts());
    assertEquals(1.0 / 3, a.ctr(), 1e-12);
    assertEquals(0.0, a.conversion());
    assertEquals(0.5, a.ndcgMean(), 1e-12);
    assertEquals(0.0, a.fallbackShare());
    assertEquals(2.0, a.latencyQuantileMs(0.0));
    assertEquals(2.0, a.latencyQuantileMs(1.0 / 3));
    assertEquals(5.0, a.latencyQuantileMs(0.5));
    assertEquals(1000.0, a.latencyQuantileMs(0.99));
    assertEquals(1000.0, a.latencyQuantileMs(1.0));
  }

  @Test
  void variantBOfTheScript() {
    var b = totalsOfTheScript().snapshot(EXP, "B").orElseThrow();
    // L2 (clicked, purchased, rank 0) and L3 (carted, rank 2, fallback).
    assertEquals(2, b.lists());
    assertEquals(4, b.impressions());
    assertEquals(1, b.clickedLists());
    assertEquals(1, b.clicks());
    assertEquals(1, b.cartedLists());
    assertEquals(1, b.purchasedLists());
    assertEquals(2, b.listsWithNextAction());
    assertEquals(2, b.ndcgN());
    assertEquals(ONE_OVER_LOG2_3, b.ndcgSum(), 1e-12);
    assertEquals(ONE_OVER_LOG2_3 * ONE_OVER_LOG2_3, b.ndcgSumOfSquares(), 1e-12);
    assertEquals(1, b.fallbackLists());
    // 0.5 ms -> (0, 1]; 12 ms -> (10, 20].
    assertEquals(buckets(1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0), b.latencyBucketCounts());
    assertEquals(0.5, b.ctr());
    assertEquals(0.5, b.conversion());
    assertEquals(ONE_OVER_LOG2_3 / 2, b.ndcgMean(), 1e-12);
    assertEquals(0.5, b.fallbackShare());
    assertEquals(1.0, b.latencyQuantileMs(0.5));
    assertEquals(20.0, b.latencyQuantileMs(0.51));
  }

  @Test
  void snapshotsOfAnExperimentAreKeyedByVariantAndLeaveOtherExperimentsOut() {
    var totals = totalsOfTheScript();
    var byVariant = totals.snapshotsOf(EXP);
    assertEquals(List.of("A", "B"), List.copyOf(byVariant.keySet()));
    assertEquals(totals.snapshot(EXP, "A").orElseThrow(), byVariant.get("A"));
    assertEquals(1, totals.snapshotsOf("other-exp").get("A").lists());
    assertEquals(Optional.empty(), totals.snapshot(EXP, "C"));
    assertEquals(Optional.empty(), totals.snapshot("nope", "A"));
    assertTrue(totals.snapshotsOf("nope").isEmpty());
  }

  @Test
  void mergeAddsFieldByFieldAndEqualsAddingEverythingToOne() {
    var a = totalsOfTheScript().snapshot(EXP, "A").orElseThrow();
    var b = totalsOfTheScript().snapshot(EXP, "B").orElseThrow();
    var all = new VariantTotals();
    List.of(L1, L2, L3, L4, L5)
        .forEach(
            o ->
                all.add(
                    new ListOutcome(
                        EXP,
                        "all",
                        o.listSize(),
                        o.clicked(),
                        o.clicks(),
                        o.carted(),
                        o.purchased(),
                        o.nextRank(),
                        o.fallback(),
                        o.tookMs())));
    var merged = a.merge(b);
    var expected = all.snapshot(EXP, "all").orElseThrow();
    assertEquals(5, merged.lists());
    assertEquals(23, merged.impressions());
    assertEquals(3, merged.clicks());
    assertEquals(1.0 + ONE_OVER_LOG2_3, merged.ndcgSum(), 1e-12);
    assertEquals(expected.latencyBucketCounts(), merged.latencyBucketCounts());
    assertEquals(expected.ndcgSum(), merged.ndcgSum(), 1e-12);
    assertEquals(expected.lists(), merged.lists());
    assertEquals(expected.clickedLists(), merged.clickedLists());
    assertEquals(expected.cartedLists(), merged.cartedLists());
    assertEquals(expected.purchasedLists(), merged.purchasedLists());
    assertEquals(expected.listsWithNextAction(), merged.listsWithNextAction());
    assertEquals(expected.fallbackLists(), merged.fallbackLists());
    assertEquals(a, a.merge(VariantTotals.Snapshot.EMPTY));
  }

  @Test
  void restoreReplacesTheTotalsAndLaterListsCountOnTop() {
    var stored = totalsOfTheScript().snapshot(EXP, "B").orElseThrow();
    var resumed = new VariantTotals();
    resumed.add(L2); // counted before the restore: replaced by the stored totals
    resumed.restore(EXP, "B", stored);
    assertEquals(stored, resumed.snapshot(EXP, "B").orElseThrow());
    resumed.add(L2);
    var after = resumed.snapshot(EXP, "B").orElseThrow();
    assertEquals(3, after.lists());
    assertEquals(2, after.clickedLists());
    assertEquals(2, after.purchasedLists());
    assertEquals(3, after.ndcgN());
    assertEquals(ONE_OVER_LOG2_3, after.ndcgSum(), 1e-12); // L2's rank 0 adds 0
    assertEquals(buckets(1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0), after.latencyBucketCounts());
  }

  @Test
  void latencyBucketsIncludeTheirUpperBoundAndTheLastIsUnbounded() {
    assertEquals(0, VariantTotals.latencyBucketOf(0.0));
    assertEquals(0, VariantTotals.latencyBucketOf(1.0));
    assertEquals(1, VariantTotals.latencyBucketOf(1.0001));
    assertEquals(2, VariantTotals.latencyBucketOf(5.0));
    assertEquals(11, VariantTotals.latencyBucketOf(5000.0));
    assertEquals(12, VariantTotals.latencyBucketOf(5000.1));
    var totals = new VariantTotals();
    totals.add(new ListOutcome(EXP, "A", 1, false, 0, false, false, null, false, 9000.0));
    assertEquals(
        Double.POSITIVE_INFINITY, totals.snapshot(EXP, "A").orElseThrow().latencyQuantileMs(0.5));
  }

  @Test
  void anEmptySnapshotHasNaNRatiosAndASnapshotMustBeConsistent() {
    var empty = VariantTotals.Snapshot.EMPTY;
    assertTrue(Double.isNaN(empty.ctr()));
    assertTrue(Double.isNaN(empty.ndcgMean()));
    assertTrue(Double.isNaN(empty.latencyQuantileMs(0.5)));
    assertThrows(IllegalArgumentException.class, () -> empty.latencyQuantileMs(1.5));
    assertThrows(
        IllegalArgumentException.class,
        () -> new VariantTotals.Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, buckets(0, 0)));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new VariantTotals.Snapshot(
                2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, buckets(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
  }
}
