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
  public static final double DROPOUT = 0.2;
  public static final double LEARNING_RATE = 0.001;

  /**
   * Decoupled (AdamW) weight decay: each step also moves every weight matrix by {@code -lr * wd *
   * value} ({@code SasRecModel#trainStep(TrainingBatch, SharedNegatives, double)}).
   */
  public static final double WEIGHT_DECAY = 0;

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
