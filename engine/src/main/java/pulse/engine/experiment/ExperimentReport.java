package pulse.engine.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An experiment's figures per variant, from the totals of its finished lists: each rate with its
 * 95% interval (Wilson for proportions, normal for the NDCG mean), and each treatment's difference
 * to the control with its 95% interval (Newcombe's hybrid score interval for a difference of
 * proportions, Welch's normal interval for a difference of means). These are fixed-horizon
 * intervals: valid for one look at the end, not for watching them daily; the canary rollout, which
 * looks at every step, uses {@link AlphaSpending} instead.
 *
 * <p>A shadow variant's lists were never shown: it has an online NDCG@10 (the rank of the user's
 * next action in its list) and its difference to the control, and no CTR or conversion (null); its
 * NDCG is against actions the control's list may have prompted, a bias against the shadow.
 *
 * <p>The sample-ratio check compares the lists each variant served with the shares its weights
 * promise (chi-squared); a p-value under {@link #SRM_P_VALUE} with at least {@link #SRM_MIN_LISTS}
 * lists means the split is broken (a variant fails more often, a client drops its lists) and the
 * figures cannot be trusted.
 */
public record ExperimentReport(
    String experiment,
    String control,
    List<VariantFigures> variants,
    double sampleRatioPValue,
    boolean sampleRatioMismatch,
    long openLists) {

  public static final double CONFIDENCE = 0.95;
  public static final double SRM_P_VALUE = 0.001;
  public static final long SRM_MIN_LISTS = 1_000;

  /**
   * One variant's figures; the {@code *VsControl} intervals are treatment minus control, null for
   * the control itself.
   *
   * @param lists served lists whose attribution window has closed (forced QA lists excluded)
   * @param ctr share of lists with at least one attributed click (CTR@k, k the list's length)
   * @param conversion share of lists with an attributed purchase
   * @param ndcg10 mean over lists with a next action of 1/log2(1 + rank of its item in the list), 0
   *     when it was not in the top 10 (online NDCG@10)
   * @param p50Ms upper bound of the latency bucket holding the median answer
   * @param p99Ms the same for the 99th percentile
   * @param fallbackShare share of lists answered with trending items
   * @param shadow the shadow variant: share 0, ctr and conversion null
   */
  public record VariantFigures(
      String variant,
      ServingPolicy policy,
      double share,
      long lists,
      long impressions,
      long clicks,
      long purchases,
      Interval ctr,
      Interval conversion,
      Interval ndcg10,
      double p50Ms,
      double p99Ms,
      double fallbackShare,
      Interval ctrVsControl,
      Interval ndcg10VsControl,
      boolean shadow) {}

  public static ExperimentReport of(
      Experiment e, Map<String, VariantTotals.Snapshot> totals, long openLists) {
    VariantTotals.Snapshot control = totals.getOrDefault(e.control(), VariantTotals.Snapshot.EMPTY);
    int weights = e.variants().stream().mapToInt(Variant::weight).sum();
    List<VariantFigures> figures = new ArrayList<>();
    long[] observed = new long[e.variants().size()];
    double[] expected = new double[e.variants().size()];
    long all = 0;
    for (int i = 0; i < e.variants().size(); i++) {
      Variant v = e.variants().get(i);
      VariantTotals.Snapshot s = totals.getOrDefault(v.name(), VariantTotals.Snapshot.EMPTY);
      observed[i] = s.lists();
      expected[i] = v.weight();
      all += s.lists();
      boolean isControl = v.name().equals(e.control());
      figures.add(
          new VariantFigures(
              v.name(),
              v.policy(),
              (double) v.weight() / weights,
              s.lists(),
              s.impressions(),
              s.clicks(),
              s.purchasedLists(),
              ExperimentStats.proportion(s.clickedLists(), s.lists(), CONFIDENCE),
              ExperimentStats.proportion(s.purchasedLists(), s.lists(), CONFIDENCE),
              ExperimentStats.mean(moments(s), CONFIDENCE),
              s.lists() == 0 ? Double.NaN : s.latencyQuantileMs(0.5),
              s.lists() == 0 ? Double.NaN : s.latencyQuantileMs(0.99),
              s.fallbackShare(),
              isControl
                  ? null
                  : ExperimentStats.proportionDifference(
                      s.clickedLists(),
                      s.lists(),
                      control.clickedLists(),
                      control.lists(),
                      CONFIDENCE),
              isControl
                  ? null
                  : ExperimentStats.meanDifference(moments(s), moments(control), CONFIDENCE),
              false));
    }
    if (e.shadow() != null) {
      VariantTotals.Snapshot s =
          totals.getOrDefault(e.shadow().name(), VariantTotals.Snapshot.EMPTY);
      figures.add(
          new VariantFigures(
              e.shadow().name(),
              e.shadow().policy(),
              0,
              s.lists(),
              s.impressions(),
              0,
              0,
              null,
              null,
              ExperimentStats.mean(moments(s), CONFIDENCE),
              s.lists() == 0 ? Double.NaN : s.latencyQuantileMs(0.5),
              s.lists() == 0 ? Double.NaN : s.latencyQuantileMs(0.99),
              s.fallbackShare(),
              null,
              ExperimentStats.meanDifference(moments(s), moments(control), CONFIDENCE),
              true));
    }
    double p = ExperimentStats.sampleRatioMismatchPValue(observed, expected);
    return new ExperimentReport(
        e.name(), e.control(), figures, p, all >= SRM_MIN_LISTS && p < SRM_P_VALUE, openLists);
  }

  /** The NDCG values' moments, from the count, sum and sum of squares the totals keep. */
  static Moments moments(VariantTotals.Snapshot s) {
    long n = s.ndcgN();
    if (n == 0) {
      return Moments.EMPTY;
    }
    double mean = s.ndcgSum() / n;
    double m2 = Math.max(0, s.ndcgSumOfSquares() - n * mean * mean);
    return new Moments(n, mean, m2);
  }
}
