package pulse.engine.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExperimentStatsTest {

  private static final double TOLERANCE = 1e-4;

  private static Moments of(double... values) {
    Moments m = Moments.EMPTY;
    for (double v : values) {
      m = m.add(v);
    }
    return m;
  }

  @Test
  void wilsonIntervalMatchesTheFormulaWorkedByHand() {
    // 81/263 at 95%: p = 0.307985, z = 1.959964, z²/n = 0.014606; centre = (p + z²/2n)/(1 + z²/n)
    // = 0.310744, half width = z/(1 + z²/n)·sqrt(p(1-p)/n + z²/4n²) = 0.055460: [0.25529, 0.36621].
    Interval interval = ExperimentStats.proportion(81, 263, 0.95);
    assertEquals(81.0 / 263, interval.estimate(), 1e-12);
    assertEquals(0.2553, interval.low(), TOLERANCE);
    assertEquals(0.3662, interval.high(), TOLERANCE);
    assertTrue(interval.isDefined());
  }

  @Test
  void wilsonIntervalStaysInsideZeroToOneAtTheExtremes() {
    // Wilson at 0/10 and 10/10, 95%: upper bound z²/(n + z²) = 3.8415/13.8415 = 0.2775.
    Interval none = ExperimentStats.proportion(0, 10, 0.95);
    assertEquals(0.0, none.low(), 0.0);
    assertEquals(0.2775, none.high(), TOLERANCE);
    Interval all = ExperimentStats.proportion(10, 10, 0.95);
    assertEquals(0.7225, all.low(), TOLERANCE);
    assertTrue(all.high() <= 1.0);
  }

  @Test
  void wilsonIntervalNarrowsAsConfidenceFalls() {
    Interval wide = ExperimentStats.proportion(81, 263, 0.99);
    Interval narrow = ExperimentStats.proportion(81, 263, 0.80);
    assertTrue(wide.low() < narrow.low() && narrow.high() < wide.high());
  }

  @Test
  void proportionWithoutTrialsIsTheWholeRangeAndUndefined() {
    Interval interval = ExperimentStats.proportion(0, 0, 0.95);
    assertTrue(Double.isNaN(interval.estimate()));
    assertEquals(0.0, interval.low(), 0.0);
    assertEquals(1.0, interval.high(), 0.0);
    assertFalse(interval.isDefined());
  }

  @Test
  void newcombeHybridScoreMatchesNewcombe1998() {
    // Newcombe 1998, Statistics in Medicine 17:873-890, Table II, method 10:
    // 56/70 - 48/80 = 0.2000, interval [0.0524, 0.3339]; 9/10 - 3/10 = 0.6000, [0.1705, 0.8090].
    Interval first = ExperimentStats.proportionDifference(56, 70, 48, 80, 0.95);
    assertEquals(0.2000, first.estimate(), 1e-12);
    assertEquals(0.0524, first.low(), TOLERANCE);
    assertEquals(0.3339, first.high(), TOLERANCE);

    Interval second = ExperimentStats.proportionDifference(9, 10, 3, 10, 0.95);
    assertEquals(0.6000, second.estimate(), 1e-12);
    assertEquals(0.1705, second.low(), TOLERANCE);
    assertEquals(0.8090, second.high(), TOLERANCE);
  }

  @Test
  void proportionDifferenceIsAntisymmetricInTheArms() {
    Interval forward = ExperimentStats.proportionDifference(56, 70, 48, 80, 0.95);
    Interval backward = ExperimentStats.proportionDifference(48, 80, 56, 70, 0.95);
    assertEquals(-forward.estimate(), backward.estimate(), 1e-12);
    assertEquals(-forward.high(), backward.low(), 1e-12);
    assertEquals(-forward.low(), backward.high(), 1e-12);
  }

  @Test
  void proportionDifferenceWithAnEmptyArmIsTheWholeRange() {
    Interval interval = ExperimentStats.proportionDifference(5, 10, 0, 0, 0.95);
    assertTrue(Double.isNaN(interval.estimate()));
    assertEquals(-1.0, interval.low(), 0.0);
    assertEquals(1.0, interval.high(), 0.0);
    assertFalse(interval.isDefined());
  }

  @Test
  void proportionsRejectImpossibleCountsAndConfidences() {
    IllegalArgumentException tooMany =
        assertThrows(IllegalArgumentException.class, () -> ExperimentStats.proportion(11, 10, .95));
    assertTrue(tooMany.getMessage().contains("successes"), tooMany.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ExperimentStats.proportion(-1, 10, .95));
    IllegalArgumentException badConfidence =
        assertThrows(IllegalArgumentException.class, () -> ExperimentStats.proportion(1, 10, 1.0));
    assertTrue(badConfidence.getMessage().contains("confidence"), badConfidence.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> ExperimentStats.proportionDifference(1, 10, 11, 10, .95));
  }

  @Test
  void momentsMatchTheTextbookMeanAndVariance() {
    Moments m = of(2, 4, 4, 4, 5, 5, 7, 9);
    assertEquals(8, m.n());
    assertEquals(5.0, m.mean(), 1e-12);
    assertEquals(32.0, m.m2(), 1e-12); // sum of squared deviations
    assertEquals(32.0 / 7, m.variance(), 1e-12);
    assertEquals(40.0, m.sum(), 1e-12);
  }

  @Test
  void momentsMergeAsIfTheStreamsWereOne() {
    Moments left = of(2, 4, 4);
    Moments right = of(4, 5, 5, 7, 9);
    Moments merged = left.merge(right);
    Moments whole = of(2, 4, 4, 4, 5, 5, 7, 9);
    assertEquals(whole.n(), merged.n());
    assertEquals(whole.mean(), merged.mean(), 1e-12);
    assertEquals(whole.m2(), merged.m2(), 1e-9);
    assertEquals(left, left.merge(Moments.EMPTY));
    assertEquals(right, Moments.EMPTY.merge(right));
  }

  @Test
  void momentsKeepTheirDigitsFarFromZero() {
    // A raw sum-of-squares variance of values near 1e9 would lose every digit; Welford keeps them.
    Moments m = of(1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16);
    assertEquals(30.0, m.variance(), 1e-6);
  }

  @Test
  void varianceIsZeroBelowTwoValues() {
    assertEquals(0.0, Moments.EMPTY.variance(), 0.0);
    assertEquals(0.0, of(3).variance(), 0.0);
    assertThrows(IllegalArgumentException.class, () -> Moments.EMPTY.add(Double.NaN));
  }

  @Test
  void meanIntervalIsTheNormalApproximation() {
    // {1..5}: mean 3, variance 2.5, standard error sqrt(2.5/5) = 0.707107, z(95%) = 1.959964,
    // half width 1.385903.
    Interval interval = ExperimentStats.mean(of(1, 2, 3, 4, 5), 0.95);
    assertEquals(3.0, interval.estimate(), 1e-12);
    assertEquals(1.614097, interval.low(), 1e-6);
    assertEquals(4.385903, interval.high(), 1e-6);
  }

  @Test
  void meanIntervalIsUndefinedWithoutASpread() {
    Interval none = ExperimentStats.mean(Moments.EMPTY, 0.95);
    assertTrue(Double.isNaN(none.estimate()) && Double.isNaN(none.low()));
    Interval one = ExperimentStats.mean(of(0.4), 0.95);
    assertEquals(0.4, one.estimate(), 0.0);
    assertTrue(Double.isNaN(one.low()) && Double.isNaN(one.high()));
    assertFalse(one.isDefined());
  }

  @Test
  void welchMeanDifferenceMatchesAHandCalculation() {
    // Treatment {1..5}: mean 3, variance 2.5; control {2, 4, 6}: mean 4, variance 4.
    // Difference -1, standard error sqrt(2.5/5 + 4/3) = sqrt(1.833333) = 1.354006,
    // half width at 95% 1.959964 × 1.354006 = 2.653803: [-3.653803, 1.653803].
    Interval interval = ExperimentStats.meanDifference(of(1, 2, 3, 4, 5), of(2, 4, 6), 0.95);
    assertEquals(-1.0, interval.estimate(), 1e-12);
    assertEquals(-3.653803, interval.low(), 1e-6);
    assertEquals(1.653803, interval.high(), 1e-6);
  }

  @Test
  void meanDifferenceIsUndefinedWhenAnArmHasTooFewValues() {
    assertFalse(ExperimentStats.meanDifference(of(1, 2), Moments.EMPTY, 0.95).isDefined());
    Interval single = ExperimentStats.meanDifference(of(1, 2), of(5), 0.95);
    assertEquals(-3.5, single.estimate(), 1e-12);
    assertFalse(single.isDefined());
  }

  @Test
  void sampleRatioMismatchPValueOfAPerfectSplitIsOne() {
    assertEquals(
        1.0,
        ExperimentStats.sampleRatioMismatchPValue(new long[] {5000, 5000}, new double[] {1, 1}),
        1e-12);
    assertEquals(
        1.0,
        ExperimentStats.sampleRatioMismatchPValue(
            new long[] {2500, 2500, 5000}, new double[] {25, 25, 50}),
        1e-12);
  }

  @Test
  void sampleRatioMismatchPValueOfA52To48SplitIsSmall() {
    // 5200/4800 against 50/50: chi² = 2 × 200²/5000 = 16 on 1 degree of freedom,
    // p = P(|Z| > 4) = 2 × (1 - Phi(4)) = 6.334e-5.
    double p =
        ExperimentStats.sampleRatioMismatchPValue(new long[] {5200, 4800}, new double[] {0.5, 0.5});
    assertEquals(6.334e-5, p, 0.001e-5);
  }

  @Test
  void sampleRatioMismatchPValueKeepsTinyValues() {
    // Expected 2000/2000/6000: chi² = 125 + 125 + 166.67 = 416.67 on 2 degrees of freedom, whose
    // survival function is exp(-chi²/2): p = 3.33e-91, far below 1 - cdf's resolution.
    double p =
        ExperimentStats.sampleRatioMismatchPValue(
            new long[] {2500, 2500, 5000}, new double[] {1, 1, 3});
    double expected = Math.exp(-(125 + 125 + 1e6 / 6000) / 2);
    assertEquals(3.3265e-91, expected, 0.0001e-91);
    assertEquals(expected, p, expected * 1e-9);
    assertTrue(p > 0);
  }

  @Test
  void sampleRatioMismatchHasNothingToTestWithoutTrafficOrArms() {
    assertEquals(
        1.0,
        ExperimentStats.sampleRatioMismatchPValue(new long[] {0, 0}, new double[] {1, 1}),
        0.0);
    assertEquals(
        1.0, ExperimentStats.sampleRatioMismatchPValue(new long[] {42}, new double[] {1}), 0.0);
  }

  @Test
  void sampleRatioMismatchRejectsMismatchedOrBadInputs() {
    IllegalArgumentException lengths =
        assertThrows(
            IllegalArgumentException.class,
            () -> ExperimentStats.sampleRatioMismatchPValue(new long[] {1, 2}, new double[] {1}));
    assertTrue(lengths.getMessage().contains("weights"), lengths.getMessage());
    IllegalArgumentException weight =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ExperimentStats.sampleRatioMismatchPValue(new long[] {1, 2}, new double[] {1, 0}));
    assertTrue(weight.getMessage().contains("weights[1]"), weight.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> ExperimentStats.sampleRatioMismatchPValue(new long[] {-1, 2}, new double[] {1, 1}));
  }
}
