package pulse.engine.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pulse.engine.experiment.CanaryGate.Arm;
import pulse.engine.experiment.CanaryGate.Decision;
import pulse.engine.experiment.CanaryGate.Gates;
import pulse.engine.experiment.CanaryGate.Verdict;

class CanaryGateTest {

  private static final AlphaSpending FOUR_LOOKS = new AlphaSpending(0.05, 4);
  private static final Gates CTR_GATES = new Gates(500, Gates.CTR, 0.01, 1.5, 20, 0.01);

  /** An arm with the given traffic and clicks, a healthy 50 ms p99 and no errors. */
  private static Arm ctrArm(long lists, long clickedLists) {
    return new Arm(lists, clickedLists, Moments.EMPTY, 50, 0);
  }

  private static void assertReasonContains(Decision decision, String... parts) {
    for (String part : parts) {
      assertTrue(decision.reason().contains(part), "'" + part + "' in: " + decision.reason());
    }
  }

  @Test
  void holdsUntilBothArmsHaveTheMinimumTraffic() {
    Decision decision =
        CanaryGate.decide(ctrArm(123, 10), ctrArm(4000, 400), CTR_GATES, FOUR_LOOKS, 1);
    assertEquals(Verdict.HOLD, decision.verdict());
    assertReasonContains(decision, "waiting for traffic", "canary 123/500", "control 4000/500");
  }

  @Test
  void holdsUnderMinimumTrafficEvenAtTheLastLook() {
    // A canary that never got its traffic is not judged on a handful of lists.
    Decision decision =
        CanaryGate.decide(ctrArm(600, 60), ctrArm(499, 50), CTR_GATES, FOUR_LOOKS, 4);
    assertEquals(Verdict.HOLD, decision.verdict());
  }

  @Test
  void promotesTwoEqualArmsWithPlentyOfTraffic() {
    // 10% CTR on 100,000 lists each; look 2 of 4 tests at 99.451% (alpha 0.005486, z = 2.777):
    // Newcombe interval [-0.00373, 0.00373], entirely above -0.01.
    Decision decision =
        CanaryGate.decide(
            ctrArm(100_000, 10_000), ctrArm(100_000, 10_000), CTR_GATES, FOUR_LOOKS, 2);
    assertEquals(Verdict.PROMOTE, decision.verdict());
    assertEquals(0.0, decision.metricDifference().estimate(), 1e-12);
    assertEquals(-0.00373, decision.metricDifference().low(), 1e-5);
    assertEquals(0.00373, decision.metricDifference().high(), 1e-5);
    assertEquals(0.994514, decision.confidence(), 1e-6);
    assertReasonContains(
        decision,
        "CTR canary 0.100 vs control 0.100",
        "difference 0.000 [-0.004, 0.004]",
        "99.5% confidence",
        "margin 0.010");
  }

  @Test
  void promotesOnNdcgWhenTheMeansAreClose() {
    Moments canary = Moments.EMPTY;
    Moments control = Moments.EMPTY;
    // Two arms alternating between 0.2 and 0.6 (mean 0.4, variance ~0.04), 20,000 lists each.
    for (int i = 0; i < 20_000; i++) {
      canary = canary.add(i % 2 == 0 ? 0.2 : 0.6);
      control = control.add(i % 2 == 0 ? 0.21 : 0.61);
    }
    Gates gates = new Gates(500, Gates.NDCG, 0.01, 1.5, 20, 0.01);
    Decision decision =
        CanaryGate.decide(
            new Arm(20_000, 0, canary, 50, 0),
            new Arm(20_000, 0, control, 50, 0),
            gates,
            FOUR_LOOKS,
            3);
    // Difference -0.01, standard error sqrt(2 × 0.04/20000) = 0.002, z(98.195%) = 2.364:
    // interval [-0.0147, -0.0053] crosses -0.01, so inconclusive at look 3: HOLD.
    assertEquals(Verdict.HOLD, decision.verdict());
    assertEquals(-0.01, decision.metricDifference().estimate(), 1e-9);
    assertEquals(-0.01 - 2.3642 * 0.002, decision.metricDifference().low(), 1e-4);
    assertReasonContains(decision, "NDCG canary 0.400 vs control 0.410", "inconclusive at look 3");

    Decision closer =
        CanaryGate.decide(
            new Arm(20_000, 0, canary, 50, 0),
            new Arm(20_000, 0, canary, 50, 0),
            gates,
            FOUR_LOOKS,
            3);
    assertEquals(Verdict.PROMOTE, closer.verdict());
  }

  @Test
  void rollsBackAClearlyWorseCanaryAtTheFirstLook() {
    // 6% vs 10% CTR on 50,000 lists each; even at look 1's 99.991% the interval
    // [-0.0467, -0.0333] lies entirely below -0.01.
    Decision decision =
        CanaryGate.decide(ctrArm(50_000, 3_000), ctrArm(50_000, 5_000), CTR_GATES, FOUR_LOOKS, 1);
    assertEquals(Verdict.ROLL_BACK, decision.verdict());
    assertEquals(-0.0467, decision.metricDifference().low(), 1e-4);
    assertEquals(-0.0333, decision.metricDifference().high(), 1e-4);
    assertReasonContains(
        decision,
        "clearly worse",
        "CTR canary 0.060 vs control 0.100",
        "difference -0.040 [-0.047, -0.033]",
        "99.991% confidence");
  }

  @Test
  void holdsWhenInconclusiveBeforeTheLastLookAndRollsBackAtIt() {
    // 9.5% vs 10% CTR on 5,000 lists each: difference -0.005, interval crossing -0.01.
    Arm canary = ctrArm(5_000, 475);
    Arm control = ctrArm(5_000, 500);

    Decision early = CanaryGate.decide(canary, control, CTR_GATES, FOUR_LOOKS, 2);
    assertEquals(Verdict.HOLD, early.verdict());
    assertEquals(-0.0215, early.metricDifference().low(), 1e-4);
    assertEquals(0.0115, early.metricDifference().high(), 1e-4);
    assertReasonContains(early, "inconclusive at look 2 of 4");

    Decision last = CanaryGate.decide(canary, control, CTR_GATES, FOUR_LOOKS, 4);
    assertEquals(Verdict.ROLL_BACK, last.verdict());
    assertEquals(-0.0182, last.metricDifference().low(), 1e-4);
    assertEquals(0.0082, last.metricDifference().high(), 1e-4);
    assertReasonContains(last, "last planned look", "safe choice", "97.4% confidence");
  }

  @Test
  void rollsBackOnAP99AboveRatioPlusSlack() {
    Arm control = new Arm(100_000, 10_000, Moments.EMPTY, 100, 0);
    Arm slow = new Arm(100_000, 10_000, Moments.EMPTY, 171, 0); // limit 100 × 1.5 + 20 = 170
    Decision decision = CanaryGate.decide(slow, control, CTR_GATES, FOUR_LOOKS, 2);
    assertEquals(Verdict.ROLL_BACK, decision.verdict());
    assertReasonContains(decision, "p99 latency canary 171.0 ms vs control 100.0 ms", "170.0 ms");

    Arm justUnder = new Arm(100_000, 10_000, Moments.EMPTY, 170, 0);
    assertEquals(
        Verdict.PROMOTE, CanaryGate.decide(justUnder, control, CTR_GATES, FOUR_LOOKS, 2).verdict());
  }

  @Test
  void theSlackSparesSmallLatencies() {
    // 12 ms against 5 ms is 2.4 times control, but under 5 × 1.5 + 20 = 27.5 ms.
    Arm control = new Arm(100_000, 10_000, Moments.EMPTY, 5, 0);
    Arm canary = new Arm(100_000, 10_000, Moments.EMPTY, 12, 0);
    assertEquals(
        Verdict.PROMOTE, CanaryGate.decide(canary, control, CTR_GATES, FOUR_LOOKS, 2).verdict());
  }

  @Test
  void rollsBackOnAClearlyHigherErrorRate() {
    // 5% vs 1% errors on 10,000 lists each: increase 0.04, interval [0.0335, 0.0468] at look 2,
    // its lower bound above the allowed 0.01. CTR is equal, so only the errors can decide.
    Arm canary = new Arm(10_000, 1_000, Moments.EMPTY, 50, 500);
    Arm control = new Arm(10_000, 1_000, Moments.EMPTY, 50, 100);
    Decision decision = CanaryGate.decide(canary, control, CTR_GATES, FOUR_LOOKS, 2);
    assertEquals(Verdict.ROLL_BACK, decision.verdict());
    assertReasonContains(
        decision,
        "error rate canary 0.0500 (500/10000) vs control 0.0100 (100/10000)",
        "increase 0.0400 [0.0335, 0.0468]",
        "allowed 0.0100");
  }

  @Test
  void doesNotRollBackOnAnErrorIncreaseThatMayBeNoise() {
    // 1.5% vs 0.3% on 1,000 lists: the point increase 0.012 exceeds 0.01, but the interval
    // [-0.0005, 0.0272] does not clearly do so. The CTR (both 10%) decides instead.
    Arm canary = new Arm(1_000, 100, Moments.EMPTY, 50, 15);
    Arm control = new Arm(1_000, 100, Moments.EMPTY, 50, 3);
    Decision decision = CanaryGate.decide(canary, control, CTR_GATES, FOUR_LOOKS, 2);
    assertFalse(decision.reason().contains("error rate"), decision.reason());
    assertEquals(Verdict.HOLD, decision.verdict());
  }

  @Test
  void aLookTooEarlyToSpendAnyAlphaHoldsButStillWatchesLatency() {
    // 30 looks: look 1 spends 2·Phi(-1.96·sqrt(30)) ~ 3e-27, and 1 - that is 1.0 in a double.
    AlphaSpending thirtyLooks = new AlphaSpending(0.05, 30);
    assertEquals(1.0, thirtyLooks.confidenceAt(1), 0.0);
    Decision decision =
        CanaryGate.decide(ctrArm(50_000, 3_000), ctrArm(50_000, 5_000), CTR_GATES, thirtyLooks, 1);
    assertEquals(Verdict.HOLD, decision.verdict());
    assertFalse(decision.metricDifference().isDefined());
    assertReasonContains(decision, "look 1 of 30 spends too little alpha");

    Arm slow = new Arm(50_000, 5_000, Moments.EMPTY, 500, 0);
    assertEquals(
        Verdict.ROLL_BACK,
        CanaryGate.decide(slow, ctrArm(50_000, 5_000), CTR_GATES, thirtyLooks, 1).verdict());
  }

  @Test
  void looksOutsideThePlanAreRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> CanaryGate.decide(ctrArm(1, 0), ctrArm(1, 0), CTR_GATES, FOUR_LOOKS, 5));
  }

  @Test
  void gatesAndArmsRejectBadValuesNamingTheField() {
    IllegalArgumentException metric =
        assertThrows(
            IllegalArgumentException.class, () -> new Gates(500, "mrr", 0.01, 1.5, 20, 0.01));
    assertTrue(metric.getMessage().startsWith("metric"), metric.getMessage());
    IllegalArgumentException ratio =
        assertThrows(
            IllegalArgumentException.class, () -> new Gates(500, "ctr", 0.01, 0.9, 20, 0.01));
    assertTrue(ratio.getMessage().startsWith("maxP99Ratio"), ratio.getMessage());
    IllegalArgumentException margin =
        assertThrows(
            IllegalArgumentException.class, () -> new Gates(500, "ctr", -0.01, 1.5, 20, 0.01));
    assertTrue(margin.getMessage().startsWith("margin"), margin.getMessage());
    IllegalArgumentException minLists =
        assertThrows(
            IllegalArgumentException.class, () -> new Gates(0, "ctr", 0.01, 1.5, 20, 0.01));
    assertTrue(minLists.getMessage().startsWith("minListsPerArm"), minLists.getMessage());
    IllegalArgumentException clicks =
        assertThrows(IllegalArgumentException.class, () -> new Arm(10, 11, Moments.EMPTY, 5, 0));
    assertTrue(clicks.getMessage().startsWith("clickedLists"), clicks.getMessage());
    IllegalArgumentException p99 =
        assertThrows(
            IllegalArgumentException.class, () -> new Arm(10, 1, Moments.EMPTY, Double.NaN, 0));
    assertTrue(p99.getMessage().startsWith("p99Ms"), p99.getMessage());
  }

  @Test
  void confidencesPrintWithEnoughDecimalsToShowTheirAlpha() {
    assertEquals("95.0%", CanaryGate.percent(0.95));
    assertEquals("99.6%", CanaryGate.percent(0.996));
    assertEquals("99.991%", CanaryGate.percent(0.99991142));
  }
}
