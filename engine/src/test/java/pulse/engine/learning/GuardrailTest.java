package pulse.engine.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GuardrailTest {
  private final Guardrail guardrail = new Guardrail(0.05, 500);

  private static WindowMetrics m(long examples, double ndcg) {
    return new WindowMetrics(examples, Math.min(1.0, ndcg * 2), ndcg);
  }

  private static String reason(Verdict v) {
    return assertInstanceOf(Verdict.Reject.class, v).reason();
  }

  @Test
  void aNonFiniteUpdateIsRejectedWhateverTheMetrics() {
    assertEquals("update holds NaN/Inf", reason(guardrail.judge(null, m(0, 0), false)));
    assertEquals(
        "update holds NaN/Inf", reason(guardrail.judge(m(10_000, 0.3), m(10_000, 0.9), false)));
  }

  @Test
  void theFirstVersionIsAccepted() {
    assertEquals(Verdict.ACCEPT, guardrail.judge(null, m(10_000, 0.01), true));
  }

  @Test
  void aDropBeyondTheMarginIsRejectedWithTheNumbers() {
    Verdict v = guardrail.judge(m(2000, 0.30), m(500, 0.21), true);
    assertFalse(v.accepted());
    assertEquals(
        "NDCG@10 0.21 fell more than 0.05 below the previous good version's 0.30 over 500 examples",
        reason(v));
  }

  @Test
  void aDropWithinTheMarginIsAccepted() {
    assertTrue(guardrail.judge(m(2000, 0.30), m(2000, 0.26), true).accepted());
  }

  @Test
  void aDropOfExactlyTheMarginIsAcceptedDespiteFloatingPoint() {
    assertTrue(0.80 - 0.75 > 0.05, "the doubles really are a hair over");
    assertTrue(guardrail.judge(m(2000, 0.80), m(2000, 0.75), true).accepted());
    assertFalse(guardrail.judge(m(2000, 0.80), m(2000, 0.7499), true).accepted());
  }

  @Test
  void anImprovementIsAccepted() {
    assertEquals(Verdict.ACCEPT, guardrail.judge(m(2000, 0.30), m(2000, 0.45), true));
  }

  @Test
  void tooFewCurrentExamplesAreNotJudged() {
    assertTrue(guardrail.judge(m(2000, 0.30), m(499, 0.0), true).accepted());
  }

  @Test
  void tooFewBaselineExamplesAreNotJudged() {
    assertTrue(guardrail.judge(m(499, 0.90), m(2000, 0.10), true).accepted());
  }

  @Test
  void exactlyMinExamplesIsJudged() {
    assertFalse(guardrail.judge(m(500, 0.30), m(500, 0.20), true).accepted());
  }

  @Test
  void nonFiniteMetricsAreRejectedEvenBelowMinExamples() {
    String r =
        reason(guardrail.judge(m(2000, 0.3), new WindowMetrics(3, Double.NaN, Double.NaN), true));
    assertTrue(r.startsWith("metrics are not finite"), r);
    assertFalse(
        guardrail
            .judge(null, new WindowMetrics(3, 0.5, Double.POSITIVE_INFINITY), true)
            .accepted());
  }

  @Test
  void aBrokenBaselineCannotRejectAHealthyVersion() {
    assertTrue(
        guardrail.judge(new WindowMetrics(2000, 0.5, Double.NaN), m(2000, 0.2), true).accepted());
  }

  @Test
  void aZeroMarginRejectsAnyRealDrop() {
    Guardrail strict = new Guardrail(0.0, 1);
    assertTrue(strict.judge(m(1, 0.3), m(1, 0.3), true).accepted());
    assertEquals(
        "NDCG@10 0.299 fell more than 0.00 below the previous good version's 0.30 over 1 examples",
        reason(strict.judge(m(1, 0.3), m(1, 0.299), true)));
  }

  @Test
  void refusesNonsenseSettings() {
    assertThrows(IllegalArgumentException.class, () -> new Guardrail(-0.01, 1));
    assertThrows(IllegalArgumentException.class, () -> new Guardrail(Double.NaN, 1));
    assertThrows(IllegalArgumentException.class, () -> new Guardrail(0.05, 0));
    assertThrows(IllegalArgumentException.class, () -> new Verdict.Reject(" "));
  }

  @Test
  void formatsWithTwoToFourDecimals() {
    assertEquals("0.30", Guardrail.format(0.3));
    assertEquals("0.05", Guardrail.format(0.05));
    assertEquals("1.00", Guardrail.format(1));
    assertEquals("0.2135", Guardrail.format(0.213456));
    assertEquals("0.005", Guardrail.format(0.005));
  }

  @Test
  void aRelativeMarginCatchesALargeFallFromALowBaseline() {
    Guardrail g = new Guardrail(0.05, 0.2, 100);
    WindowMetrics before = new WindowMetrics(500, 0.17, 0.09);
    Verdict v = g.judge(before, new WindowMetrics(500, 0.12, 0.06), true);
    assertTrue(v instanceof Verdict.Reject r && r.reason().contains("20% below"), v.toString());
    assertTrue(
        g.judge(before, new WindowMetrics(500, 0.16, 0.08), true).accepted(),
        "an 11% dip is allowed");
    assertTrue(
        new Guardrail(0.05, 100).judge(before, new WindowMetrics(500, 0.12, 0.06), true).accepted(),
        "without the relative bound the absolute margin alone lets it pass");
  }
}
