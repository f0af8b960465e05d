package pulse.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LengthBatchesTest {

  @Test
  void everyUserOnceAndBatchesOfSimilarLength() {
    int n = 1000;
    int[] lengths = new int[n];
    int[] users = new int[n];
    SplittableRandom r = new SplittableRandom(3);
    for (int u = 0; u < n; u++) {
      users[u] = u;
      lengths[u] = 2 + r.nextInt(300);
    }
    Trainer.shuffleInPlace(users, r);
    int[] ordered = LengthBatches.order(users, lengths, 10, 100, new SplittableRandom(5));
    int[] sorted = ordered.clone();
    Arrays.sort(sorted);
    int[] all = new int[n];
    for (int u = 0; u < n; u++) all[u] = u;
    assertArrayEquals(all, sorted);
    // One window holds every user: each batch spans a tenth of the sorted lengths at most, so its
    // longest row is far below the 290+ a random batch of 10 nearly always reaches.
    long padded = 0;
    for (int b = 0; b < n; b += 10) {
      int max = 0;
      int min = Integer.MAX_VALUE;
      for (int i = b; i < b + 10; i++) {
        max = Math.max(max, lengths[ordered[i]]);
        min = Math.min(min, lengths[ordered[i]]);
      }
      padded += max - min;
    }
    assertTrue(padded / 100.0 < 10, "mean spread within a batch " + padded / 100.0);
  }

  @Test
  void batchOrderIsShuffled() {
    int[] lengths = new int[200];
    int[] users = new int[200];
    for (int u = 0; u < 200; u++) {
      users[u] = u;
      lengths[u] = u;
    }
    int[] ordered = LengthBatches.order(users, lengths, 10, 20, new SplittableRandom(1));
    boolean ascending = true;
    for (int i = 1; i < ordered.length; i++)
      ascending &= lengths[ordered[i]] >= lengths[ordered[i - 1]];
    assertTrue(!ascending, "batches should not come in length order");
  }
}
