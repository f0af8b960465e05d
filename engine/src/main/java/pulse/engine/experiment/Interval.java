package pulse.engine.experiment;

/**
 * A point estimate and a two-sided confidence interval around it.
 *
 * <p>When the data cannot support an estimate (no trials, too few samples) some or all components
 * are {@code NaN}. NaN is not valid JSON and compares false with everything, so callers that
 * publish or compare an interval check {@link #isDefined()} first.
 */
public record Interval(double estimate, double low, double high) {

  public Interval {
    if (!Double.isNaN(low) && !Double.isNaN(high) && low > high) {
      throw new IllegalArgumentException("low " + low + " is above high " + high);
    }
  }

  /** An interval that says nothing: every component NaN. */
  static Interval undefined() {
    return new Interval(Double.NaN, Double.NaN, Double.NaN);
  }

  /** True when the estimate and both bounds are finite numbers, safe to compare and to publish. */
  public boolean isDefined() {
    return Double.isFinite(estimate) && Double.isFinite(low) && Double.isFinite(high);
  }
}
