package pulse.model.train;

import pulse.model.LossKind;

/**
 * The default training recipe of {@code bin/pulse train} (and of the demo, which only bounds the
 * epochs and minutes): chosen by the sweep on validation users of MovieLens 100K and Amazon Games
 * (model-runtime/README.md, "Choosing the recipe"), never on a test split. maxLen is not a
 * constant: {@link MaxLenRule} derives it from the data unless {@code --max-len} is given.
 */
public final class Recipe {
  private Recipe() {}

  /**
   * {@code --loss auto}: full CE up to 2 x {@link #SHARED_NEGATIVES} items, sampled CE with that
   * many shared negatives above ({@link LossPlan#auto}).
   */
  public static final String LOSS = "auto";

  /**
   * Shared negatives per batch for sampled CE (asked for, or the fallback of full CE on a catalogue
   * too large for its logits, {@link LossPlan}).
   */
  public static final int SHARED_NEGATIVES = 2048;

  public static final int DIM = 64;
  public static final int HEADS = 1;
  public static final int BLOCKS = 2;

  /** Dropout on dense data (long histories: MovieLens 100K's mean training length is 104). */
  public static final double DROPOUT_DENSE = 0.2;

  /**
   * Dropout on sparse data: mean training length under {@link #SPARSE_MEAN_LENGTH} (Games: 7.3).
   */
  public static final double DROPOUT_SPARSE = 0.5;

  /** Mean training-sequence length below which data counts as sparse ({@link #dropout}). */
  public static final double SPARSE_MEAN_LENGTH = 30;

  /**
   * Dropout for data whose training sequences have this mean length: the SASRec paper's split (0.2
   * on dense MovieLens-1M, 0.5 on the sparse Amazon and Steam sets), confirmed by the sweeps: on
   * MovieLens 100K 0.2 reached a validation full NDCG@10 of 0.081 against 0.036 for 0.5 in the same
   * time; on Games 0.5 (with maxLen 48-50) matched 0.2 on full NDCG@10 (0.061 / 0.060) and led on
   * sampled HR@10 / NDCG@10 (0.728 / 0.543 against 0.701 / 0.520).
   */
  public static double dropout(double meanTrainingLength) {
    return meanTrainingLength < SPARSE_MEAN_LENGTH ? DROPOUT_SPARSE : DROPOUT_DENSE;
  }

  /** Mean length of the training sequences (0 for none). */
  public static double meanLength(int[][] trainSequences) {
    long sum = 0;
    for (int[] s : trainSequences) sum += s.length;
    return trainSequences.length == 0 ? 0 : (double) sum / trainSequences.length;
  }

  public static final double LEARNING_RATE = 0.001;

  /**
   * Decoupled (AdamW) weight decay on dense data: each step also moves every weight matrix by
   * {@code -lr * wd * value} ({@code SasRecModel#trainStep(TrainingBatch, SharedNegatives,
   * double)}).
   */
  public static final double WEIGHT_DECAY = 0;

  /** Weight decay on sparse data ({@link #weightDecay}). */
  public static final double WEIGHT_DECAY_SPARSE = 0.5;

  /**
   * Weight decay for data of this mean training length. Measured on validation items with the
   * transitions and the refit (model-runtime/README.md, third round): on Games 0.5 tied 0 on full
   * NDCG@10 (0.0710 / 0.0712) and led on sampled HR@10 (0.747 / 0.737); on MovieLens 100K 0.5 was
   * behind (0.1215 / 0.1248).
   */
  public static double weightDecay(double meanTrainingLength) {
    return meanTrainingLength < SPARSE_MEAN_LENGTH ? WEIGHT_DECAY_SPARSE : WEIGHT_DECAY;
  }

  public static final int BATCH = 128;

  /** Adam steps an epoch should have at least: small data gets smaller batches ({@link #batch}). */
  public static final int MIN_STEPS_PER_EPOCH = 30;

  /**
   * The batch size for this many training users: {@link #BATCH}, or smaller so an epoch has at
   * least {@link #MIN_STEPS_PER_EPOCH} steps (at least 16). MovieLens 100K's 943 users at 128 give
   * 8 steps an epoch: in the sweep batch 32 reached a validation full NDCG@10 of 0.099 in 9 epochs,
   * where batch 128 had 0.081 after 17.
   */
  public static int batch(int trainingUsers) {
    return Math.max(16, Math.min(BATCH, trainingUsers / MIN_STEPS_PER_EPOCH));
  }

  public static final int EPOCHS = 200;

  /** The default wall-clock bound; the best validation checkpoint seen within it is kept. */
  public static final double MAX_MINUTES = 45;

  public static final int EVAL_EVERY = 1;

  /**
   * Epochs over the training prefix plus the validation item after the best epoch is chosen ({@link
   * Trainer#refit}) on sparse data; a time bound keeps {@link #REFIT_SHARE} of itself for them.
   */
  public static final int REFIT_EPOCHS_SPARSE = 2;

  /**
   * Refit epochs for data of this mean training length. Measured on validation items: on Games the
   * refit raised full NDCG@10 from 0.0682 to 0.0712 after 2 epochs (3: lower again) and sampled
   * HR@10 from 0.713 to 0.737 (a validation item is one of 7 steps a user has there); on MovieLens
   * 100K (one of 104) it lowered full NDCG@10 from 0.1272 to 0.1248, so dense data gets none.
   */
  public static int refitEpochs(double meanTrainingLength) {
    return meanTrainingLength < SPARSE_MEAN_LENGTH ? REFIT_EPOCHS_SPARSE : 0;
  }

  public static final double REFIT_SHARE = 0.1;

  public static final int PATIENCE = 5;
  public static final int VALIDATION_USERS = 10_000;

  /** Negatives when none are given: per loss. */
  public static int negatives(LossKind loss) {
    return switch (loss) {
      case BCE -> 1;
      case GBCE, SAMPLED_SOFTMAX -> 100;
      case CE, SAMPLED_CE, SAMPLED_CE_POP -> SHARED_NEGATIVES;
    };
  }
}
