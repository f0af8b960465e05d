package pulse.bench;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Latencies in an HdrHistogram: recorded in microseconds to 3 significant digits (any range: the
 * histogram grows), read back in milliseconds. Recording is safe from several threads at once (the
 * HTTP client's callbacks); percentiles are nearest-rank, as reported by HdrHistogram.
 */
final class Latencies {
  static final int SIGNIFICANT_DIGITS = 3;

  private final Histogram micros = new ConcurrentHistogram(SIGNIFICANT_DIGITS);

  static Latencies ofMillis(double... ms) {
    Latencies l = new Latencies();
    for (double v : ms) {
      l.recordMillis(v);
    }
    return l;
  }

  static Latencies ofMillis(Iterable<? extends Number> ms) {
    Latencies l = new Latencies();
    for (Number v : ms) {
      l.recordMillis(v.doubleValue());
    }
    return l;
  }

  void recordMillis(double ms) {
    micros.recordValue(Math.max(0, Math.round(ms * 1000)));
  }

  void recordNanos(long nanos) {
    micros.recordValue(Math.max(0, nanos / 1000));
  }

  long count() {
    return micros.getTotalCount();
  }

  /** The {@code q} quantile, {@code q} in (0, 1], in ms; NaN when nothing was recorded. */
  double millis(double q) {
    if (!(q > 0 && q <= 1)) {
      throw new IllegalArgumentException("q must be in (0, 1], was " + q);
    }
    return count() == 0 ? Double.NaN : micros.getValueAtPercentile(100 * q) / 1000.0;
  }

  double maxMillis() {
    return count() == 0 ? Double.NaN : micros.getMaxValue() / 1000.0;
  }

  /**
   * Counts per bucket of HdrHistogram's logarithmic iteration: bucket i holds the values below
   * {@code firstBoundMs * factor^i} (to the histogram's precision) and at or above the bound
   * before; the last of {@code buckets} also takes everything above.
   */
  long[] logBuckets(double firstBoundMs, double factor, int buckets) {
    long[] counts = new long[buckets];
    int i = 0;
    for (var step : micros.logarithmicBucketValues(Math.round(firstBoundMs * 1000), factor)) {
      counts[Math.min(i++, buckets - 1)] += step.getCountAddedInThisIterationStep();
    }
    return counts;
  }
}
