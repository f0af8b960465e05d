package pulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WeightedSamplerTest {

  @Test
  void picksInProportionToTheWeights() {
    WeightedSampler<String> s =
        new WeightedSampler<>(List.of("a", "b", "c"), new double[] {0.6, 0.3, 0.1});
    Random random = new Random(1);
    int[] counts = new int[3];
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      counts[List.of("a", "b", "c").indexOf(s.sample(random))]++;
    }
    assertEquals(0.6, counts[0] / (double) n, 0.01);
    assertEquals(0.3, counts[1] / (double) n, 0.01);
    assertEquals(0.1, counts[2] / (double) n, 0.01);
  }

  @Test
  void zipfMakesTheFirstRankTheMostPopularAndTheTailLong() {
    List<Integer> ranks = IntStream.range(0, 100).boxed().toList();
    WeightedSampler<Integer> s = WeightedSampler.zipf(ranks, 1.0);
    Random random = new Random(2);
    int[] counts = new int[100];
    for (int i = 0; i < 200_000; i++) {
      counts[s.sample(random)]++;
    }
    // Weight 1/(r+1): rank 0 is drawn twice as often as rank 1 and ten times as often as rank 9.
    assertEquals(2.0, counts[0] / (double) counts[1], 0.1);
    assertEquals(10.0, counts[0] / (double) counts[9], 0.8);
    assertTrue(counts[99] > 0);
  }

  @Test
  void refusesWeightsThatAreNotPositiveOrDoNotMatch() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new WeightedSampler<>(List.of("a"), new double[] {0}));
    assertThrows(
        IllegalArgumentException.class,
        () -> new WeightedSampler<>(List.of("a", "b"), new double[] {1}));
    assertThrows(
        IllegalArgumentException.class, () -> new WeightedSampler<>(List.of(), new double[] {}));
  }
}
