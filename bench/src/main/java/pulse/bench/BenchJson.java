package pulse.bench;

import java.util.Locale;

/** Numbers for the benches' final JSON lines, which scripts and the smoke test parse. */
final class BenchJson {
  private BenchJson() {}

  /**
   * {@code v} with {@code decimals} decimals, or {@code null} where nothing was measured (NaN is
   * not JSON).
   */
  static String num(double v, int decimals) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "null";
  }
}
