package pulse.engine.experiment;

/**
 * Count, mean and sum of squared deviations of a stream of values: enough for a mean and its
 * variance, in constant space, mergeable across shards or nodes.
 *
 * <p>Kept as centred moments rather than raw sums of {@code x} and {@code x²} because the raw-sum
 * variance subtracts two large, nearly equal numbers and loses its digits on long streams;
 * Welford's update and Chan et al.'s merge keep them.
 *
 * @param n number of values
 * @param mean their mean (0 when {@code n} is 0)
 * @param m2 sum of squared deviations from the mean
 */
public record Moments(long n, double mean, double m2) {

  /** No values yet. */
  public static final Moments EMPTY = new Moments(0, 0.0, 0.0);

  public Moments {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative: " + n);
    }
    if (!Double.isFinite(mean)) {
      throw new IllegalArgumentException("mean must be finite: " + mean);
    }
    if (!(m2 >= 0) || Double.isInfinite(m2)) {
      throw new IllegalArgumentException("m2 must be finite and not negative: " + m2);
    }
  }

  /** These moments with one more value (Welford's update). */
  public Moments add(double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException("value must be finite: " + x);
    }
    long n1 = n + 1;
    double delta = x - mean;
    double mean1 = mean + delta / n1;
    return new Moments(n1, mean1, m2 + delta * (x - mean1));
  }

  /** The moments of both streams together (Chan, Golub and LeVeque's pairwise merge). */
  public Moments merge(Moments other) {
    if (other.n == 0) {
      return this;
    }
    if (n == 0) {
      return other;
    }
    long total = n + other.n;
    double delta = other.mean - mean;
    double mergedMean = mean + delta * ((double) other.n / total);
    double mergedM2 = m2 + other.m2 + delta * delta * ((double) n * other.n / total);
    return new Moments(total, mergedMean, mergedM2);
  }

  /** Sample variance (divisor {@code n - 1}); 0 when there are fewer than two values. */
  public double variance() {
    return n < 2 ? 0.0 : m2 / (n - 1);
  }

  /** Sum of the values. */
  public double sum() {
    return mean * n;
  }
}
