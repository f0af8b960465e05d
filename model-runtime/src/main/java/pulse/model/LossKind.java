package pulse.model;

import java.util.Locale;

/**
 * Training objective. All three score positives and sampled negatives against the tied item table.
 */
public enum LossKind {
  /** SASRec's loss: binary cross-entropy, one negative per positive (use negatives=1). */
  BCE,
  /**
   * gSASRec's generalised BCE: positive term raised to beta so many negatives do not over-confident
   * the model.
   */
  GBCE,
  /** Softmax over the positive and its sampled negatives. */
  SAMPLED_SOFTMAX;

  public static LossKind parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "bce" -> BCE;
      case "gbce" -> GBCE;
      case "sampled-softmax", "sampled_softmax", "softmax" -> SAMPLED_SOFTMAX;
      default ->
          throw new IllegalArgumentException(
              "unknown loss '" + text + "' (bce|gbce|sampled-softmax)");
    };
  }

  public String cliName() {
    return switch (this) {
      case BCE -> "bce";
      case GBCE -> "gbce";
      case SAMPLED_SOFTMAX -> "sampled-softmax";
    };
  }
}
