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
    // 20 users: inputs (length - 1) 1..20; p95 = the 19th smallest = 19, rounded up to 24.
    int[] n = new int[20];
    for (int i = 0; i < 20; i++) n[i] = i + 2;
    assertEquals(24, MaxLenRule.fromSequences(lengths(n)));
    assertEquals(16, MaxLenRule.fromSequences(lengths(n), 0.5, 200)); // median input 10 -> 16
  }

  @Test
  void cappedAndNeverBelowOneStep() {
    assertEquals(200, MaxLenRule.fromSequences(lengths(900, 800, 700)));
    assertEquals(64, MaxLenRule.fromSequences(lengths(900, 800, 700), 0.95, 64));
    assertEquals(8, MaxLenRule.fromSequences(lengths(1, 2, 3)));
    assertEquals(8, MaxLenRule.fromSequences(new int[0][]));
  }
}
