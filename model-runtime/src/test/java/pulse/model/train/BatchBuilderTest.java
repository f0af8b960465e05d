package pulse.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import pulse.model.Padding;
import pulse.model.TrainingBatch;

class BatchBuilderTest {

  @Test
  void leftPadsAndKeepsTheMostRecentItems() {
    assertArrayEquals(new int[] {0, 0, 7, 8}, Padding.leftPad(new int[] {7, 8}, 4));
    assertArrayEquals(new int[] {2, 3, 4}, Padding.leftPad(new int[] {1, 2, 3, 4}, 3));
  }

  @Test
  void inputsAreShiftedTargetsWithNegativesOutsideTheHistory() {
    int[][] seqs = {{1, 2, 3, 4}, {5, 6}};
    int[][] hist = {
      NegativeSampler.sortedDistinct(seqs[0]), NegativeSampler.sortedDistinct(seqs[1])
    };
    BatchBuilder b = new BatchBuilder(seqs, hist, 5, 3, new NegativeSampler(20, 1));
    TrainingBatch batch = b.build(new int[] {0, 1}, 0, 2);
    assertArrayEquals(new int[] {0, 0, 1, 2, 3, /**/ 0, 0, 0, 0, 5}, batch.items());
    assertArrayEquals(new int[] {0, 0, 2, 3, 4, /**/ 0, 0, 0, 0, 6}, batch.positives());
    for (int row = 0; row < 2; row++) {
      for (int p = 0; p < 5; p++) {
        int at = row * 5 + p;
        for (int j = 0; j < 3; j++) {
          int n = batch.negativeIds()[at * 3 + j];
          if (batch.positives()[at] == 0) {
            assertEquals(0, n, "no negatives where there is no target");
          } else {
            assertTrue(n >= 1 && n <= 20);
            assertTrue(
                Arrays.binarySearch(hist[row], n) < 0, "negative " + n + " is in the history");
          }
        }
      }
    }
  }

  @Test
  void longSequencesKeepTheLastMaxLenTargets() {
    int[][] seqs = {{1, 2, 3, 4, 5, 6}};
    BatchBuilder b =
        new BatchBuilder(seqs, new int[][] {{1, 2, 3, 4, 5, 6}}, 3, 1, new NegativeSampler(9, 2));
    TrainingBatch batch = b.build(new int[] {0}, 0, 1);
    assertArrayEquals(new int[] {3, 4, 5}, batch.items());
    assertArrayEquals(new int[] {4, 5, 6}, batch.positives());
  }

  @Test
  void samplerIsSeededAndAvoidsExcludedItems() {
    NegativeSampler a = new NegativeSampler(10, 7);
    NegativeSampler b = new NegativeSampler(10, 7);
    int[] excluded = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    for (int i = 0; i < 100; i++) {
      int x = a.sample(excluded);
      assertEquals(x, b.sample(excluded));
      assertEquals(10, x);
    }
  }
}
