package pulse.engine.experiment;

import java.util.Locale;

/**
 * The decision of one step of a canary rollout: promote the canary, hold it at its current share of
 * traffic, or roll it back, from the figures of the canary arm and the control arm at one planned
 * look.
 *
 * <p>Checks, in order, each ending the decision:
 *
 * <ol>
 *   <li>Traffic: either arm below {@link Gates#minListsPerArm()} lists: {@link Verdict#HOLD}.
 *       Nothing is judged on a handful of lists.
 *   <li>Errors: {@link Verdict#ROLL_BACK} when the canary's error rate is clearly higher than
 *       control's by more than {@link Gates#maxErrorRateIncrease()}, that is when the lower bound
 *       of the difference's interval at the look's confidence exceeds it. A point difference alone
 *       would roll back on noise.
 *   <li>Latency: {@link Verdict#ROLL_BACK} when the canary's p99 exceeds {@code control p99 ×
 *       maxP99Ratio + maxP99SlackMs}. A p99 is a point figure from a histogram, without an
 *       interval, so this is a plain threshold; the slack keeps small latencies (5 ms against 3 ms)
 *       from tripping the ratio.
 *   <li>Quality: the interval of {@code canary - control} on the gate's metric (list CTR or mean
 *       NDCG) at the look's confidence. Entirely below {@code -margin}: {@link Verdict#ROLL_BACK},
 *       clearly worse. Entirely above {@code -margin}: {@link Verdict#PROMOTE}, not worse by more
 *       than the margin (a non-inferiority test: a canary need not be better to ship). Otherwise
 *       inconclusive: {@link Verdict#HOLD} for more traffic, except at the last planned look, where
 *       the canary is rolled back because it could not be shown not to be worse, the safe choice.
 * </ol>
 *
 * <p>The errors and quality checks use the same confidence, {@link
 * AlphaSpending#confidenceAt(int)}, so that repeated looks do not inflate false alarms.
 */
public final class CanaryGate {

  /** What the rollout should do next. */
  public enum Verdict {
    /** The canary is not worse by more than the margin: give it all the traffic. */
    PROMOTE,
    /** Not enough evidence either way yet: keep the current split and look again later. */
    HOLD,
    /** The canary is worse, or could not be shown not to be, by the last look: remove it. */
    ROLL_BACK
  }

  /**
   * One arm's figures since the canary started.
   *
   * @param lists recommendation lists served by this arm, each counted once, including those
   *     answered by a fallback
   * @param clickedLists of those, the lists with at least one click (list CTR is {@code
   *     clickedLists / lists})
   * @param ndcg per-list NDCG moments, for the "ndcg" metric
   * @param p99Ms 99th percentile of serving latency, milliseconds
   * @param errors of the lists, those that failed in any way (timeouts, model errors, fallbacks
   *     caused by a failure), each list counted at most once
   */
  public record Arm(long lists, long clickedLists, Moments ndcg, double p99Ms, long errors) {
    public Arm {
      if (lists < 0) {
        throw new IllegalArgumentException("lists must not be negative: " + lists);
      }
      if (clickedLists < 0 || clickedLists > lists) {
        throw new IllegalArgumentException(
            "clickedLists must lie in [0, lists = " + lists + "]: " + clickedLists);
      }
      if (ndcg == null) {
        throw new IllegalArgumentException("ndcg must not be null; use Moments.EMPTY");
      }
      if (!(p99Ms >= 0) || Double.isInfinite(p99Ms)) {
        throw new IllegalArgumentException("p99Ms must be finite and not negative: " + p99Ms);
      }
      if (errors < 0 || errors > lists) {
        throw new IllegalArgumentException(
            "errors must lie in [0, lists = " + lists + "]: " + errors);
      }
    }

    double errorRate() {
      return lists == 0 ? 0.0 : (double) errors / lists;
    }

    double clickRate() {
      return lists == 0 ? 0.0 : (double) clickedLists / lists;
    }
  }

  /**
   * The thresholds of a rollout.
   *
   * @param minListsPerArm lists each arm must have served before anything is judged, at least 1
   * @param metric the quality metric compared: {@value #CTR} (list click-through rate) or {@value
   *     #NDCG} (mean per-list NDCG)
   * @param margin how much worse, in absolute units of the metric, the canary may be and still ship
   *     (e.g. 0.02), not negative
   * @param maxP99Ratio how many times control's p99 the canary's may reach, at least 1 (e.g. 1.5)
   * @param maxP99SlackMs milliseconds the canary's p99 may exceed {@code ratio × control} by, so
   *     that small latencies do not trip the ratio (e.g. 20), not negative
   * @param maxErrorRateIncrease how much higher, absolute, the canary's error rate may be (e.g.
   *     0.01), in [0, 1)
   */
  public record Gates(
      long minListsPerArm,
      String metric,
      double margin,
      double maxP99Ratio,
      double maxP99SlackMs,
      double maxErrorRateIncrease) {

    /** The list click-through rate metric. */
    public static final String CTR = "ctr";

    /** The mean per-list NDCG metric. */
    public static final String NDCG = "ndcg";

    public Gates {
      if (minListsPerArm < 1) {
        throw new IllegalArgumentException("minListsPerArm must be at least 1: " + minListsPerArm);
      }
      if (!CTR.equals(metric) && !NDCG.equals(metric)) {
        throw new IllegalArgumentException(
            "metric must be \"" + CTR + "\" or \"" + NDCG + "\": " + metric);
      }
      if (!(margin >= 0) || Double.isInfinite(margin)) {
        throw new IllegalArgumentException("margin must be finite and not negative: " + margin);
      }
      if (!(maxP99Ratio >= 1) || Double.isInfinite(maxP99Ratio)) {
        throw new IllegalArgumentException(
            "maxP99Ratio must be finite and at least 1: " + maxP99Ratio);
      }
      if (!(maxP99SlackMs >= 0) || Double.isInfinite(maxP99SlackMs)) {
        throw new IllegalArgumentException(
            "maxP99SlackMs must be finite and not negative: " + maxP99SlackMs);
      }
      if (!(maxErrorRateIncrease >= 0 && maxErrorRateIncrease < 1)) {
        throw new IllegalArgumentException(
            "maxErrorRateIncrease must lie in [0, 1): " + maxErrorRateIncrease);
      }
    }
  }

  /**
   * A verdict and why.
   *
   * @param verdict what to do
   * @param reason a sentence for people, with the figures the verdict rests on
   * @param metricDifference canary minus control on the gate's metric at {@code confidence}; not
   *     {@linkplain Interval#isDefined() defined} while an arm has too little data
   * @param confidence the two-sided confidence of this look's intervals
   */
  public record Decision(
      Verdict verdict, String reason, Interval metricDifference, double confidence) {}

  private CanaryGate() {}

  /**
   * Decides one look of a rollout; see the class comment for the checks and their order.
   *
   * @param look this look's number, 1 to {@code spending.plannedLooks()}
   * @throws IllegalArgumentException when {@code look} is outside the plan
   */
  public static Decision decide(
      Arm canary, Arm control, Gates gates, AlphaSpending spending, int look) {
    double confidence = spending.confidenceAt(look);
    boolean lastLook = look == spending.plannedLooks();
    // The first looks of a long plan may spend less alpha than a double resolves next to 1: no
    // interval can be built and no statistical verdict reached at such a look.
    boolean canTest = confidence < 1.0;
    Interval difference =
        canTest ? metricDifference(canary, control, gates, confidence) : Interval.undefined();

    if (canary.lists() < gates.minListsPerArm() || control.lists() < gates.minListsPerArm()) {
      return new Decision(
          Verdict.HOLD,
          String.format(
              Locale.ROOT,
              "waiting for traffic: canary %d/%d lists, control %d/%d lists",
              canary.lists(),
              gates.minListsPerArm(),
              control.lists(),
              gates.minListsPerArm()),
          difference,
          confidence);
    }

    if (canTest) {
      Interval errorIncrease =
          ExperimentStats.proportionDifference(
              canary.errors(), canary.lists(), control.errors(), control.lists(), confidence);
      if (errorIncrease.low() > gates.maxErrorRateIncrease()) {
        return new Decision(
            Verdict.ROLL_BACK,
            String.format(
                Locale.ROOT,
                "error rate canary %.4f (%d/%d) vs control %.4f (%d/%d), increase %.4f [%.4f,"
                    + " %.4f] at %s confidence, clearly above the allowed %.4f",
                canary.errorRate(),
                canary.errors(),
                canary.lists(),
                control.errorRate(),
                control.errors(),
                control.lists(),
                errorIncrease.estimate(),
                errorIncrease.low(),
                errorIncrease.high(),
                percent(confidence),
                gates.maxErrorRateIncrease()),
            difference,
            confidence);
      }
    }

    double p99Limit = control.p99Ms() * gates.maxP99Ratio() + gates.maxP99SlackMs();
    if (canary.p99Ms() > p99Limit) {
      return new Decision(
          Verdict.ROLL_BACK,
          String.format(
              Locale.ROOT,
              "p99 latency canary %.1f ms vs control %.1f ms, above the limit %.1f ms"
                  + " (%.2f x control + %.1f ms)",
              canary.p99Ms(),
              control.p99Ms(),
              p99Limit,
              gates.maxP99Ratio(),
              gates.maxP99SlackMs()),
          difference,
          confidence);
    }

    if (!canTest) {
      return new Decision(
          Verdict.HOLD,
          String.format(
              Locale.ROOT,
              "look %d of %d spends too little alpha (%.1e) to judge the metric; waiting for the"
                  + " next look",
              look,
              spending.plannedLooks(),
              spending.alphaAt(look)),
          difference,
          confidence);
    }

    String figures = describe(canary, control, gates, difference, confidence);
    double margin = gates.margin();
    if (!difference.isDefined()) {
      String why = "not enough " + label(gates) + " samples for an interval yet (" + figures + ")";
      return lastLook
          ? new Decision(
              Verdict.ROLL_BACK,
              why + "; last planned look, rolling back as the safe choice",
              difference,
              confidence)
          : new Decision(Verdict.HOLD, why, difference, confidence);
    }
    if (difference.high() < -margin) {
      return new Decision(Verdict.ROLL_BACK, "clearly worse: " + figures, difference, confidence);
    }
    if (difference.low() > -margin) {
      return new Decision(
          Verdict.PROMOTE, "not worse by the margin: " + figures, difference, confidence);
    }
    if (lastLook) {
      return new Decision(
          Verdict.ROLL_BACK,
          "inconclusive at the last planned look: could not show it is not worse by the margin,"
              + " rolling back as the safe choice: "
              + figures,
          difference,
          confidence);
    }
    return new Decision(
        Verdict.HOLD,
        String.format(
            Locale.ROOT,
            "inconclusive at look %d of %d: %s",
            look,
            spending.plannedLooks(),
            figures),
        difference,
        confidence);
  }

  private static Interval metricDifference(
      Arm canary, Arm control, Gates gates, double confidence) {
    if (Gates.CTR.equals(gates.metric())) {
      return ExperimentStats.proportionDifference(
          canary.clickedLists(),
          canary.lists(),
          control.clickedLists(),
          control.lists(),
          confidence);
    }
    return ExperimentStats.meanDifference(canary.ndcg(), control.ndcg(), confidence);
  }

  private static String label(Gates gates) {
    return Gates.CTR.equals(gates.metric()) ? "CTR" : "NDCG";
  }

  private static String describe(
      Arm canary, Arm control, Gates gates, Interval difference, double confidence) {
    boolean ctr = Gates.CTR.equals(gates.metric());
    double canaryValue = ctr ? canary.clickRate() : canary.ndcg().mean();
    double controlValue = ctr ? control.clickRate() : control.ndcg().mean();
    return String.format(
        Locale.ROOT,
        "%s canary %.3f vs control %.3f, difference %.3f [%.3f, %.3f] at %s confidence,"
            + " margin %.3f",
        label(gates),
        canaryValue,
        controlValue,
        difference.estimate(),
        difference.low(),
        difference.high(),
        percent(confidence),
        gates.margin());
  }

  /** A confidence as a percentage with enough decimals to show its alpha: 95.0%, 99.6%, 99.991%. */
  static String percent(double confidence) {
    double alphaPercent = (1 - confidence) * 100;
    int decimals =
        alphaPercent > 0
            ? Math.max(1, Math.min(10, (int) Math.ceil(-Math.log10(alphaPercent))))
            : 1;
    return String.format(Locale.ROOT, "%." + decimals + "f%%", confidence * 100);
  }
}
