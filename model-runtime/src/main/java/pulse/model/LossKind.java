package pulse.model;

import java.util.Locale;

/**
 * Training objective. Every loss scores the encoder's output at each non-padded position against
 * the tied item table; they differ in which items compete with the positive.
 */
public enum LossKind {
  /** SASRec's loss: binary cross-entropy, one negative per positive (use negatives=1). */
  BCE,
  /**
   * gSASRec's generalised BCE: positive term raised to beta so many negatives do not over-confident
   * the model.
   */
  GBCE,
  /**
   * Softmax over the positive and its own sampled negatives, drawn per position (what the online
   * learner's one-step updates use).
   */
  SAMPLED_SOFTMAX,
  /**
   * Cross-entropy over the whole catalogue (every assigned item; padding and spare rows masked
   * out): one [positions, d] x [d, items] matmul per batch.
   */
  CE,
  /**
   * Cross-entropy over the positive and K negatives drawn uniformly once per batch and shared by
   * every position ([positions, d] x [d, K]); a negative equal to the position's positive is
   * masked.
   */
  SAMPLED_CE,
  /**
   * As {@link #SAMPLED_CE}, negatives drawn by training popularity, logits corrected by -log Q (the
   * sampling probability) so the loss still estimates full cross-entropy.
   */
  SAMPLED_CE_POP;

  public static LossKind parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "bce" -> BCE;
      case "gbce" -> GBCE;
      case "sampled-softmax", "sampled_softmax" -> SAMPLED_SOFTMAX;
      case "ce", "softmax", "full-softmax" -> CE;
      case "sampled-ce", "sampled_ce" -> SAMPLED_CE;
      case "sampled-ce-pop", "sampled_ce_pop" -> SAMPLED_CE_POP;
      default ->
          throw new IllegalArgumentException(
              "unknown loss '"
                  + text
                  + "' (ce|sampled-ce|sampled-ce-pop|sampled-softmax|gbce|bce)");
    };
  }

  public String cliName() {
    return switch (this) {
      case BCE -> "bce";
      case GBCE -> "gbce";
      case SAMPLED_SOFTMAX -> "sampled-softmax";
      case CE -> "ce";
      case SAMPLED_CE -> "sampled-ce";
      case SAMPLED_CE_POP -> "sampled-ce-pop";
    };
  }

  /** True for the losses whose negatives are one set per batch, shared by every position. */
  public boolean sharesNegatives() {
    return this == SAMPLED_CE || this == SAMPLED_CE_POP;
  }

  /**
   * True for the cross-entropy losses, full or over shared negatives: a batch carries no negatives
   * per position for them.
   */
  public boolean isCrossEntropy() {
    return this == CE || sharesNegatives();
  }
}
