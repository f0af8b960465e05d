package pulse.model.data;

import java.util.Arrays;

/**
 * SASRec's leave-one-out split: per user the last item is the test target, the second last the
 * validation target, the rest is training. Users with fewer than 3 interactions are training-only
 * (targets 0).
 *
 * @param train per user, the training prefix
 * @param valid per user, validation target or 0
 * @param test per user, test target or 0
 */
public record LeaveOneOutSplit(int[][] train, int[] valid, int[] test) {

  public static LeaveOneOutSplit of(int[][] sequences) {
    int n = sequences.length;
    int[][] train = new int[n][];
    int[] valid = new int[n];
    int[] test = new int[n];
    for (int u = 0; u < n; u++) {
      int[] s = sequences[u];
      if (s.length < 3) {
        train[u] = s.clone();
      } else {
        train[u] = Arrays.copyOf(s, s.length - 2);
        valid[u] = s[s.length - 2];
        test[u] = s[s.length - 1];
      }
    }
    return new LeaveOneOutSplit(train, valid, test);
  }

  public int users() {
    return train.length;
  }

  /**
   * The history the model sees when predicting the test item: training prefix plus the validation
   * item.
   */
  public int[] testInput(int user) {
    int[] t = train[user];
    int[] out = Arrays.copyOf(t, t.length + 1);
    out[t.length] = valid[user];
    return out;
  }

  public boolean evaluable(int user) {
    return test[user] != 0;
  }
}
