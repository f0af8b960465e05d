package pulse.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MaxLenRuleTest {

  private static int[][] lengths(int... n) {
    int[][] s = new int[n.length][];
    for (int i = 0; i < n.length; i++) s[i] = new int[n[i]];
    return s;
  }

  @Test
  void highPercentileOfInputLengthsRoundedUpToTheLengthStep() {
    // 100 users: inputs (length - 1) 1..100; p99 = the 99th smallest = 99, rounded up to 104.
    int[] n = new int[100];
    for (int i = 0; i < 100; i++) n[i] = i + 2;
    assertEquals(104, MaxLenRule.fromSequences(lengths(n)));
    assertEquals(96, MaxLenRule.fromSequences(lengths(n), 0.95, 200)); // p95 input 95 -> 96
    assertEquals(56, MaxLenRule.fromSequences(lengths(n), 0.5, 200)); // median input 50 -> 56
  }

  @Test
  void cappedAndNeverBelowOneStep() {
    assertEquals(200, MaxLenRule.fromSequences(lengths(900, 800, 700)));
    assertEquals(64, MaxLenRule.fromSequences(lengths(900, 800, 700), 0.95, 64));
    assertEquals(8, MaxLenRule.fromSequences(lengths(1, 2, 3)));
    assertEquals(8, MaxLenRule.fromSequences(new int[0][]));
  }
}
