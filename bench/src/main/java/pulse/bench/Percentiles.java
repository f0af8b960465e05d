package pulse.bench;

/** Nearest-rank percentiles of an ascending array. */
public final class Percentiles {
  private Percentiles() {}

  /**
   * The smallest value with at least {@code q} of the values at or below it; {@code q} in (0, 1].
   */
  public static double of(double[] sortedAscending, double q) {
    if (sortedAscending.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    if (!(q > 0 && q <= 1)) {
      throw new IllegalArgumentException("q must be in (0, 1], was " + q);
    }
    int rank = (int) Math.ceil(q * sortedAscending.length);
    return sortedAscending[Math.max(rank, 1) - 1];
  }
}
