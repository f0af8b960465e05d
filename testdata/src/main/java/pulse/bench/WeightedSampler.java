package pulse.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Picks one of a fixed list of values with probability proportional to its weight (binary search,
 * O(log n)).
 */
final class WeightedSampler<T> {
  private final List<T> values;
  private final double[] cumulative;

  WeightedSampler(List<T> values, double[] weights) {
    if (values.isEmpty() || values.size() != weights.length) {
      throw new IllegalArgumentException(
          "need one positive weight per value: "
              + values.size()
              + " values, "
              + weights.length
              + " weights");
    }
    this.values = List.copyOf(values);
    this.cumulative = new double[weights.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      if (!(weights[i] > 0)) {
        throw new IllegalArgumentException("weight " + i + " is not positive: " + weights[i]);
      }
      sum += weights[i];
      cumulative[i] = sum;
    }
  }

  /**
   * Weights 1/(rank+1)^exponent in list order: the first value is the most popular (Zipf's law).
   */
  static <T> WeightedSampler<T> zipf(List<T> valuesByRank, double exponent) {
    double[] w = new double[valuesByRank.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = 1.0 / Math.pow(i + 1, exponent);
    }
    return new WeightedSampler<>(valuesByRank, w);
  }

  T sample(Random random) {
    double x = random.nextDouble() * cumulative[cumulative.length - 1];
    int i = Arrays.binarySearch(cumulative, x);
    // Not found: -(insertion point) - 1; the insertion point is the first cumulative weight above
    // x.
    int index = i >= 0 ? i + 1 : -i - 1;
    return values.get(Math.min(index, values.size() - 1));
  }

  List<T> values() {
    return values;
  }
}
