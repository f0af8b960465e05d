package pulse.bench;

import java.util.Arrays;
import java.util.Random;

/**
 * The mean difference of two runs' per-example scores (say NDCG@10, learning on minus frozen) over
 * the examples both scored, with a 95% interval from a block bootstrap. Consecutive examples are
 * not independent (one user's session, one learner version), so blocks of consecutive pairs are
 * resampled, not single pairs; an interval that excludes 0 says the difference is more than the
 * noise of this replay.
 */
public final class PairedDifference {
  private PairedDifference() {}

  /**
   * {@code pairs} examples scored by both runs; their mean difference a - b and its 95% interval.
   */
  public record Interval(int pairs, double mean, double low, double high) {}

  /**
   * @param a, b per-example scores by position in one stream; NaN where a run did not score the
   *     example
   * @param block consecutive pairs resampled together
   * @param resamples bootstrap replicates
   */
  public static Interval of(double[] a, double[] b, int block, int resamples, long seed) {
    if (a.length != b.length || block < 1 || resamples < 1) {
      throw new IllegalArgumentException(
          "a and b must be as long as each other, block and resamples at least 1");
    }
    double[] diff = new double[a.length];
    int n = 0;
    for (int i = 0; i < a.length; i++) {
      if (!Double.isNaN(a[i]) && !Double.isNaN(b[i])) {
        diff[n++] = a[i] - b[i];
      }
    }
    if (n == 0) {
      return new Interval(0, Double.NaN, Double.NaN, Double.NaN);
    }
    int blocks = (n + block - 1) / block;
    double[] sums = new double[blocks];
    int[] sizes = new int[blocks];
    double total = 0;
    for (int i = 0; i < n; i++) {
      sums[i / block] += diff[i];
      sizes[i / block]++;
      total += diff[i];
    }
    Random random = new Random(seed);
    double[] means = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      double s = 0;
      long count = 0;
      for (int k = 0; k < blocks; k++) {
        int pick = random.nextInt(blocks);
        s += sums[pick];
        count += sizes[pick];
      }
      means[r] = s / count;
    }
    Arrays.sort(means);
    return new Interval(
        n,
        total / n,
        means[(int) Math.floor(0.025 * (resamples - 1))],
        means[(int) Math.ceil(0.975 * (resamples - 1))]);
  }
}
