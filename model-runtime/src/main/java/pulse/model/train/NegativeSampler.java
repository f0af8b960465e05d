package pulse.model.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Uniform negatives from 1..numItems, avoiding the user's own items (as SASRec does). */
public final class NegativeSampler {
  private static final int MAX_TRIES = 64;
  private final int numItems;
  private final SplittableRandom random;

  public NegativeSampler(int numItems, long seed) {
    this.numItems = numItems;
    this.random = new SplittableRandom(seed);
  }

  /**
   * One item not in {@code sortedExcluded}. If the user touched nearly the whole catalogue, gives
   * up after a bounded number of tries and returns a random item rather than spinning.
   */
  public int sample(int[] sortedExcluded) {
    int candidate = 1;
    for (int i = 0; i < MAX_TRIES; i++) {
      candidate = 1 + random.nextInt(numItems);
      if (Arrays.binarySearch(sortedExcluded, candidate) < 0) return candidate;
    }
    return candidate;
  }

  public static int[] sortedDistinct(int[] items) {
    return Arrays.stream(items).distinct().sorted().toArray();
  }
}
