package pulse.engine.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final CanaryGate.Gates GATES =
      new CanaryGate.Gates(200, CanaryGate.Gates.CTR, 0.02, 1.5, 20, 0.05);

  /** Totals of {@code lists} lists, {@code clicked} of them clicked, all answered within 1 ms. */
  private static VariantTotals.Snapshot totals(long lists, long clicked) {
    List<Long> buckets = new ArrayList<>(Collections.nCopies(13, 0L));
    buckets.set(0, lists);
    return new VariantTotals.Snapshot(
        lists, lists * 10, clicked, clicked, 0, 0, 0, 0, 0, 0, 0, buckets);
  }

  private static Rollout start() {
    return Rollout.start("v9", List.of(1, 10, 50, 100), GATES, 0.05, 3, T0);
  }

  @Test
  void theCanaryIsListedFirstSoItsUsersStayAsItsShareGrows() {
    Rollout r = start();
    assertEquals(List.of(100, 9_900), r.variants().stream().map(Variant::weight).toList());
    assertEquals(ServingPolicy.PINNED, r.variants().get(0).policy());
    assertEquals("v9", r.variants().get(0).version());
  }

  @Test
  void aLookWaitsForNewTrafficInBothArms() {
    Rollout r = start();
    assertSame(r, r.decide(totals(199, 60), totals(5_000, 1_500), T0));
  }

  @Test
  void aClearlyWorseCanaryIsRolledBackAtItsFirstStep() {
    Rollout r = start().decide(totals(2_000, 100), totals(20_000, 6_000), T0.plusSeconds(60));
    assertEquals(Rollout.Status.ROLLED_BACK, r.status());
    assertEquals(1, r.atPercent());
    assertEquals("rolled_back", r.timeline().get(r.timeline().size() - 1).what());
  }

  @Test
  void anEqualCanaryStepsUpAndIsPromotedBeforeTheFullShare() {
    Rollout r = start().decide(totals(20_000, 6_000), totals(200_000, 60_000), T0);
    assertEquals(Rollout.Status.RUNNING, r.status());
    assertEquals(10, r.percent());
    assertNull(r.atPercent());
    // The next look needs new traffic on top of what the first one used.
    assertSame(r, r.decide(totals(20_100, 6_030), totals(200_100, 60_030), T0));
    r = r.decide(totals(40_000, 12_000), totals(300_000, 90_000), T0);
    assertEquals(50, r.percent());
    r = r.decide(totals(100_000, 30_000), totals(400_000, 120_000), T0);
    assertEquals(Rollout.Status.PROMOTED, r.status());
    assertEquals(50, r.atPercent());
  }

  @Test
  void anInconclusiveEarlyLookHoldsTheStepAndTheLastLookRollsBack() {
    // A canary 1 point below the control, 5,000 lists at the first look (alpha spent ~0.0007):
    // every interval is wider than the 2-point margin allows to decide either way.
    Rollout r = start().decide(totals(5_000, 1_450), totals(50_000, 15_000), T0);
    assertEquals(Rollout.Status.RUNNING, r.status());
    assertEquals(1, r.percent());
    assertEquals(2, r.look());
    assertEquals("held", r.timeline().get(r.timeline().size() - 1).what());
    r = r.decide(totals(5_300, 1_537), totals(50_300, 15_090), T0);
    assertEquals(3, r.look());
    r = r.decide(totals(5_600, 1_624), totals(50_600, 15_180), T0);
    assertEquals(Rollout.Status.ROLLED_BACK, r.status(), r.reason());
  }

  @Test
  void stepsMustGrowWithinAHundredPercent() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Rollout.start("v", List.of(10, 5), GATES, 0.05, 3, T0));
    assertThrows(
        IllegalArgumentException.class, () -> Rollout.start("v", List.of(100), GATES, 0.05, 3, T0));
    assertThrows(
        IllegalArgumentException.class,
        () -> Rollout.start("v", List.of(1, 10, 50), GATES, 0.05, 2, T0));
  }

  @Test
  void anAbortRollsBackAtTheCurrentShareOnceAndSaysWhy() {
    Rollout r = start();
    Rollout aborted = r.aborted("its experiment was stopped from outside", T0.plusSeconds(9));
    assertEquals(Rollout.Status.ROLLED_BACK, aborted.status());
    assertEquals(1, aborted.atPercent());
    assertEquals("its experiment was stopped from outside", aborted.reason());
    Rollout.Event last = aborted.timeline().get(aborted.timeline().size() - 1);
    assertEquals("rolled_back", last.what());
    assertEquals(T0.plusSeconds(9), last.at());
    // An outcome stays: neither a second abort nor more traffic changes it.
    assertSame(aborted, aborted.aborted("again", T0.plusSeconds(10)));
    assertSame(aborted, aborted.decide(totals(9_000, 900), totals(9_000, 900), T0.plusSeconds(11)));
  }
}
