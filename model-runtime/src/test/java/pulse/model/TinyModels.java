package pulse.model;

/** Small configurations so graph tests run in milliseconds. */
public final class TinyModels {
  private TinyModels() {}

  public static ModelConfig config(LossKind loss, int negatives) {
    return new ModelConfig(
        9, 8, 2, 2, 6, 0.0, 0.01, 4, loss, negatives, 0.75, 3L, 0, 0, 0, Device.CPU);
  }

  public static ModelConfig config() {
    return config(LossKind.BCE, 1);
  }

  /** Two users, maxLen 6, fixed negatives: deterministic input for gradient and loss checks. */
  public static TrainingBatch batch(int negatives) {
    int len = 6;
    int[] items = {0, 0, 1, 2, 3, 4, /**/ 0, 0, 0, 0, 5, 6};
    int[] pos = {0, 0, 2, 3, 4, 5, /**/ 0, 0, 0, 0, 6, 7};
    int[] neg = new int[2 * len * negatives];
    for (int i = 0; i < neg.length; i++) neg[i] = pos[i / negatives] == 0 ? 0 : 1 + (i * 5 + 3) % 9;
    return new TrainingBatch(2, len, negatives, items, pos, neg);
  }
}
