package pulse.model.train;

/**
 * Run-level settings of a training run (the model's own hyper-parameters live in ModelConfig).
 *
 * @param epochs upper bound on epochs (one epoch = every training user once, shuffled)
 * @param maxMinutes wall-clock budget; training stops after the batch that crosses it (0 = none)
 * @param evalEvery validate every this many epochs (and after the last one)
 * @param patience stop after this many validations without a better validation NDCG@10 (0 = never)
 * @param validationUsers validate on a seeded sample of this many users (0 = all)
 * @param threads TensorFlow threads (0 = all cores)
 * @param weightDecay decoupled (AdamW) weight decay of each training step (0 = plain Adam)
 * @param refitMinutes of maxMinutes, the part kept for {@link Trainer#refit} (the epochs stop that
 *     much earlier)
 */
public record TrainOptions(
    int epochs,
    double maxMinutes,
    int evalEvery,
    int patience,
    int validationUsers,
    int threads,
    double weightDecay,
    double refitMinutes) {
  public TrainOptions {
    if (refitMinutes < 0 || (refitMinutes > 0 && refitMinutes >= maxMinutes))
      throw new IllegalArgumentException("refit minutes must be >= 0 and under max-minutes");
    if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1");
    if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight-decay must be >= 0");
    if (maxMinutes < 0) throw new IllegalArgumentException("max-minutes must be >= 0");
    if (evalEvery < 1) throw new IllegalArgumentException("eval-every must be >= 1");
    if (patience < 0 || validationUsers < 0 || threads < 0)
      throw new IllegalArgumentException("negative option");
  }

  /** Nothing kept for a refit. */
  public TrainOptions(
      int epochs,
      double maxMinutes,
      int evalEvery,
      int patience,
      int validationUsers,
      int threads,
      double weightDecay) {
    this(epochs, maxMinutes, evalEvery, patience, validationUsers, threads, weightDecay, 0);
  }

  /** Without weight decay. */
  public TrainOptions(
      int epochs,
      double maxMinutes,
      int evalEvery,
      int patience,
      int validationUsers,
      int threads) {
    this(epochs, maxMinutes, evalEvery, patience, validationUsers, threads, 0);
  }

  public static TrainOptions defaults() {
    return new TrainOptions(200, 0, 5, 8, 10_000, 0);
  }
}
