package pulse.engine.experiment;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Gamma;

/**
 * Confidence intervals and a sample-ratio check for comparing a treatment arm with a control arm.
 *
 * <p>All intervals are two-sided at the given {@code confidence} (e.g. 0.95), which must lie in (0,
 * 1). Proportions use score intervals (Wilson, and Newcombe's combination of two Wilson intervals
 * for a difference) because the plain Wald interval undercovers badly for small rates such as
 * click-through or error rates; means use the normal approximation, which is sound for the
 * thousands of samples an arm collects before anything is decided.
 */
public final class ExperimentStats {

  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

  private ExperimentStats() {}

  /**
   * Wilson score interval for {@code successes / trials}; the estimate is the observed rate.
   *
   * <p>With no trials there is no estimate (NaN) and the interval is the whole range [0, 1]:
   * nothing has been excluded yet.
   */
  public static Interval proportion(long successes, long trials, double confidence) {
    checkCounts("successes", successes, "trials", trials);
    double z = zFor(confidence);
    if (trials == 0) {
      return new Interval(Double.NaN, 0.0, 1.0);
    }
    double n = trials;
    double p = successes / n;
    double z2 = z * z;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denominator;
    double halfWidth = z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    // Clamp rounding: at p = 0 or 1 the Wilson bound is exactly 0 or 1 in exact arithmetic.
    return new Interval(p, Math.max(0.0, centre - halfWidth), Math.min(1.0, centre + halfWidth));
  }

  /**
   * Interval for the difference of two proportions, treatment minus control, by Newcombe's hybrid
   * score method (method 10 of Newcombe 1998, Statistics in Medicine 17:873-890), built from the
   * two arms' Wilson intervals.
   *
   * <p>Chosen over the Wald difference because it keeps its coverage at small rates and unequal arm
   * sizes, and needs no iteration. If either arm has no trials there is no estimate (NaN) and the
   * interval is the whole range [-1, 1].
   */
  public static Interval proportionDifference(
      long successesT, long trialsT, long successesC, long trialsC, double confidence) {
    checkCounts("treatment successes", successesT, "treatment trials", trialsT);
    checkCounts("control successes", successesC, "control trials", trialsC);
    zFor(confidence);
    if (trialsT == 0 || trialsC == 0) {
      return new Interval(Double.NaN, -1.0, 1.0);
    }
    Interval t = proportion(successesT, trialsT, confidence);
    Interval c = proportion(successesC, trialsC, confidence);
    double difference = t.estimate() - c.estimate();
    double below = Math.hypot(t.estimate() - t.low(), c.high() - c.estimate());
    double above = Math.hypot(t.high() - t.estimate(), c.estimate() - c.low());
    return new Interval(
        difference, Math.max(-1.0, difference - below), Math.min(1.0, difference + above));
  }

  /**
   * Normal-approximation interval for the mean: {@code mean ± z·sqrt(variance / n)}.
   *
   * <p>Fewer than two values give no spread to build an interval from, so the bounds are NaN (the
   * estimate is the single value when there is one, NaN when there is none). A zero variance gives
   * a point interval.
   */
  public static Interval mean(Moments m, double confidence) {
    double z = zFor(confidence);
    if (m.n() == 0) {
      return Interval.undefined();
    }
    if (m.n() < 2) {
      return new Interval(m.mean(), Double.NaN, Double.NaN);
    }
    double halfWidth = z * Math.sqrt(m.variance() / m.n());
    return new Interval(m.mean(), m.mean() - halfWidth, m.mean() + halfWidth);
  }

  /**
   * Interval for the difference of two means, treatment minus control, with Welch's
   * unequal-variance standard error {@code sqrt(varT/nT + varC/nC)} and a normal rather than
   * Student-t quantile: with the thousands of samples per arm this is used for, the t quantile's
   * degrees of freedom make no visible difference, and the arms' variances need not be equal (a new
   * model often changes the spread of its scores).
   *
   * <p>If either arm has fewer than two values the bounds are NaN; the estimate is the difference
   * of means when both arms have at least one value, NaN otherwise.
   */
  public static Interval meanDifference(Moments treatment, Moments control, double confidence) {
    double z = zFor(confidence);
    if (treatment.n() == 0 || control.n() == 0) {
      return Interval.undefined();
    }
    double difference = treatment.mean() - control.mean();
    if (treatment.n() < 2 || control.n() < 2) {
      return new Interval(difference, Double.NaN, Double.NaN);
    }
    double standardError =
        Math.sqrt(treatment.variance() / treatment.n() + control.variance() / control.n());
    double halfWidth = z * standardError;
    return new Interval(difference, difference - halfWidth, difference + halfWidth);
  }

  /**
   * P-value of Pearson's chi-squared goodness-of-fit test of the observed arm sizes against the
   * shares the traffic split intended ({@code weights[i] / sum(weights)}), with {@code k - 1}
   * degrees of freedom.
   *
   * <p>A sample ratio mismatch (a tiny p-value) means the split itself is broken (assignment,
   * logging or crashes losing one arm's traffic), and then no comparison between the arms can be
   * trusted, however significant. With no traffic or fewer than two arms there is nothing to test
   * and the result is 1.0.
   *
   * @throws IllegalArgumentException when the arrays differ in length, a weight is not a positive
   *     finite number, or an observed count is negative
   */
  public static double sampleRatioMismatchPValue(long[] observed, double[] weights) {
    if (observed.length != weights.length) {
      throw new IllegalArgumentException(
          "observed has "
              + observed.length
              + " arms but weights has "
              + weights.length
              + "; they must match");
    }
    long totalObserved = 0;
    double totalWeight = 0;
    for (int i = 0; i < observed.length; i++) {
      if (observed[i] < 0) {
        throw new IllegalArgumentException(
            "observed[" + i + "] must not be negative: " + observed[i]);
      }
      if (!(weights[i] > 0) || Double.isInfinite(weights[i])) {
        throw new IllegalArgumentException(
            "weights[" + i + "] must be positive and finite: " + weights[i]);
      }
      totalObserved = Math.addExact(totalObserved, observed[i]);
      totalWeight += weights[i];
    }
    if (totalObserved == 0 || observed.length < 2) {
      return 1.0;
    }
    double statistic = 0;
    for (int i = 0; i < observed.length; i++) {
      double expected = totalObserved * (weights[i] / totalWeight);
      double deviation = observed[i] - expected;
      statistic += deviation * deviation / expected;
    }
    // The chi-squared survival function, as the regularized upper incomplete gamma function:
    // 1 - ChiSquaredDistribution.cumulativeProbability would round p-values below ~1e-16 to 0.
    double degreesOfFreedom = observed.length - 1;
    return Gamma.regularizedGammaQ(degreesOfFreedom / 2, statistic / 2);
  }

  /** The standard normal quantile {@code z} with {@code P(|Z| <= z) = confidence}. */
  static double zFor(double confidence) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must lie in (0, 1): " + confidence);
    }
    // From the lower tail: 1 - (1 - confidence) / 2 would round away a small alpha's digits.
    return -STANDARD_NORMAL.inverseCumulativeProbability((1 - confidence) / 2);
  }

  /** {@code Phi(x)}, the standard normal distribution function. */
  static double standardNormalCdf(double x) {
    return STANDARD_NORMAL.cumulativeProbability(x);
  }

  private static void checkCounts(
      String successName, long successes, String trialName, long trials) {
    if (trials < 0) {
      throw new IllegalArgumentException(trialName + " must not be negative: " + trials);
    }
    if (successes < 0 || successes > trials) {
      throw new IllegalArgumentException(
          successName + " must lie in [0, " + trialName + " = " + trials + "]: " + successes);
    }
  }
}
