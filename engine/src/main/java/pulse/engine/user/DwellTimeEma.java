package pulse.engine.user;

/**
 * Exponential moving average of view dwell times, in arrival order (an EMA has no meaningful
 * event-time order once events arrive out of order, and arrival order is what a replay reproduces
 * exactly).
 */
final class DwellTimeEma {

  private final double alpha;
  private double ema;
  private long samples;

  DwellTimeEma(double alpha) {
    this.alpha = alpha;
  }

  void add(double dwellMillis) {
    ema = samples == 0 ? dwellMillis : alpha * dwellMillis + (1 - alpha) * ema;
    samples++;
  }

  /** Null before the first sample. */
  Double value() {
    return samples == 0 ? null : ema;
  }

  long samples() {
    return samples;
  }

  static DwellTimeEma restore(double alpha, Double ema, long samples) {
    DwellTimeEma d = new DwellTimeEma(alpha);
    d.samples = samples;
    d.ema = ema == null ? 0 : ema;
    return d;
  }
}
