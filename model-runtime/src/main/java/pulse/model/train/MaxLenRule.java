package pulse.model.train;

import java.util.Arrays;
import pulse.model.Padding;

/**
 * The sequence length a model is trained with when none is given: a high percentile of the training
 * sequences' lengths, rounded up to {@link Padding#LENGTH_STEP}, capped. Positions beyond what
 * nearly every user has only cost time (attention grows with L squared) and their position
 * embeddings would barely train; a fixed 50 cuts MovieLens histories (hundreds) short. The 99th
 * percentile, not the 95th: batches group users of similar length and are only as long as their
 * longest row ({@link LengthBatches}), so the long tail costs little, and on Games (p95 24, p99 48)
 * the longer histories helped the validation figures (model-runtime/README.md, the second sweep).
 */
public final class MaxLenRule {
  public static final double QUANTILE = 0.99;
  public static final int CAP = 200;

  private MaxLenRule() {}

  /** The {@link #QUANTILE} percentile of the input lengths (length - 1), stepped and capped. */
  public static int fromSequences(int[][] trainSequences) {
    return fromSequences(trainSequences, QUANTILE, CAP);
  }

  public static int fromSequences(int[][] trainSequences, double quantile, int cap) {
    if (quantile <= 0 || quantile > 1) throw new IllegalArgumentException("quantile in (0,1]");
    if (cap < 1) throw new IllegalArgumentException("cap must be >= 1");
    // A sequence of n items feeds n - 1 inputs (the last item is only a target).
    int[] inputs =
        Arrays.stream(trainSequences).mapToInt(s -> Math.max(0, s.length - 1)).sorted().toArray();
    if (inputs.length == 0) return Math.min(cap, Padding.LENGTH_STEP);
    int at = (int) Math.ceil(quantile * inputs.length) - 1;
    int length = inputs[Math.max(0, Math.min(inputs.length - 1, at))];
    return Padding.fittedLength(length, cap);
  }
}
