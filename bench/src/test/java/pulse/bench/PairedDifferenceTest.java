package pulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PairedDifferenceTest {

  @Test
  void aConstantShiftIsTheMeanAndTheWholeInterval() {
    double[] b = noise(2000, 1, 0);
    double[] a = b.clone();
    for (int i = 0; i < a.length; i++) {
      a[i] += 0.25;
    }
    PairedDifference.Interval d = PairedDifference.of(a, b, 100, 500, 3);
    assertEquals(2000, d.pairs());
    assertEquals(0.25, d.mean(), 1e-12);
    assertEquals(0.25, d.low(), 1e-12);
    assertEquals(0.25, d.high(), 1e-12);
  }

  @Test
  void aSmallShiftUnderNoiseIsResolvedAndPureNoiseIsNot() {
    double[] b = noise(20_000, 2, 0);
    double[] shifted =
        noise(20_000, 3, 0.05); // per-pair noise sd 1.4, shift 0.05: ~5 standard errors
    PairedDifference.Interval d = PairedDifference.of(shifted, b, 200, 1000, 4);
    assertTrue(d.low() > 0 && d.low() < 0.05 && d.high() > 0.05, d.toString());
    PairedDifference.Interval none = PairedDifference.of(noise(20_000, 5, 0), b, 200, 1000, 4);
    assertTrue(none.low() < 0 && none.high() > 0, none.toString());
  }

  @Test
  void examplesOnlyOneRunScoredAreLeftOut() {
    double[] a = {1, Double.NaN, 3, 4};
    double[] b = {0, 5, Double.NaN, 2};
    PairedDifference.Interval d = PairedDifference.of(a, b, 1, 100, 1);
    assertEquals(2, d.pairs());
    assertEquals(1.5, d.mean(), 1e-12); // (1 - 0 + 4 - 2) / 2
  }

  @Test
  void mismatchedRunsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> PairedDifference.of(new double[2], new double[3], 1, 1, 1));
  }

  private static double[] noise(int n, long seed, double shift) {
    Random r = new Random(seed);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = shift + r.nextGaussian();
    }
    return out;
  }
}
