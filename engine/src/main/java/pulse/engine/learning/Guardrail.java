package pulse.engine.learning;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Decides whether a freshly learned version may stay: an update holding NaN/Inf is rejected at once
 * (it would poison every later step), and a version whose prequential NDCG@10 fell more than {@code
 * margin} below the last good version's is rejected once both were measured on at least {@code
 * minExamples} examples.
 *
 * <p>Only NDCG@10 is compared: it moves whenever HR@10 does and also sees the true item sliding
 * down the list, so a second threshold would add a knob without adding a signal. Below {@code
 * minExamples} the window is mostly noise (a few hundred examples swing NDCG by several points), so
 * the version is accepted on the finiteness check alone and judged again when more examples are in.
 */
public final class Guardrail {
  // A drop of exactly `margin` is allowed; the tolerance keeps 0.80 - 0.75 (0.05000000000000004 in
  // doubles) within 0.05.
  private static final double TOLERANCE = 1e-9;

  private final double margin;
  private final double relativeMargin;
  private final long minExamples;

  /** Only the absolute margin (no relative bound). */
  public Guardrail(double margin, long minExamples) {
    this(margin, Double.POSITIVE_INFINITY, minExamples);
  }

  /**
   * @param relativeMargin the largest drop allowed as a share of the previous good NDCG@10 (0.2 =
   *     20%): an absolute margin alone lets a low baseline (NDCG@10 0.09 on MovieLens) fall by half
   *     unnoticed
   */
  public Guardrail(double margin, double relativeMargin, long minExamples) {
    if (Double.isNaN(relativeMargin) || relativeMargin < 0) {
      throw new IllegalArgumentException("relative margin must be >= 0, was " + relativeMargin);
    }
    this.relativeMargin = relativeMargin;
    if (!Double.isFinite(margin) || margin < 0) {
      throw new IllegalArgumentException("margin must be a finite number >= 0, was " + margin);
    }
    if (minExamples < 1) {
      throw new IllegalArgumentException("minExamples must be at least 1, was " + minExamples);
    }
    this.margin = margin;
    this.minExamples = minExamples;
  }

  public double margin() {
    return margin;
  }

  public long minExamples() {
    return minExamples;
  }

  /**
   * @param previousGood metrics of the last version that passed, or null when there is none yet
   *     (the first version has nothing to be compared with)
   * @param current metrics of the version being judged
   * @param updateFinite false when the update (or the model after it) holds a NaN or an infinity
   */
  public Verdict judge(WindowMetrics previousGood, WindowMetrics current, boolean updateFinite) {
    if (!updateFinite) {
      return new Verdict.Reject("update holds NaN/Inf");
    }
    if (current == null) {
      throw new IllegalArgumentException("current metrics are required");
    }
    if (!Double.isFinite(current.ndcg10()) || !Double.isFinite(current.hr10())) {
      // Metrics come from scoring with the new weights: non-finite ones mean the weights are broken
      // too.
      return new Verdict.Reject(
          "metrics are not finite (HR@10 "
              + current.hr10()
              + ", NDCG@10 "
              + current.ndcg10()
              + ")");
    }
    if (previousGood == null
        || previousGood.examples() < minExamples
        || current.examples() < minExamples) {
      return Verdict.ACCEPT;
    }
    if (!Double.isFinite(previousGood.ndcg10())) {
      // A broken baseline cannot condemn a healthy version.
      return Verdict.ACCEPT;
    }
    double drop = previousGood.ndcg10() - current.ndcg10();
    if (drop > margin + TOLERANCE) {
      return new Verdict.Reject(
          "NDCG@10 "
              + format(current.ndcg10())
              + " fell more than "
              + format(margin)
              + " below the previous good version's "
              + format(previousGood.ndcg10())
              + " over "
              + current.examples()
              + " examples");
    }
    if (drop > relativeMargin * previousGood.ndcg10() + TOLERANCE) {
      return new Verdict.Reject(
          "NDCG@10 "
              + format(current.ndcg10())
              + " fell more than "
              + Math.round(relativeMargin * 100)
              + "% below the previous good version's "
              + format(previousGood.ndcg10())
              + " over "
              + current.examples()
              + " examples");
    }
    return Verdict.ACCEPT;
  }

  /**
   * At least two decimals (0.30, not 0.3), at most four: enough to tell values apart, short enough
   * for a log.
   */
  static String format(double value) {
    BigDecimal rounded =
        BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros();
    return rounded.scale() < 2
        ? rounded.setScale(2, RoundingMode.UNNECESSARY).toPlainString()
        : rounded.toPlainString();
  }
}
