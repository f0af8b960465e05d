package pulse.model.train;

import pulse.model.LossKind;
import pulse.model.ModelConfig;

/**
 * Floating-point operations of one training step, counted from the matmuls (multiply-adds x 2) and
 * tripled for forward + backward: per position and block the Q, K, V, O projections and the
 * two-layer FFN (6 d^2) and the attention scores and context (2 L d); per targeted position the
 * loss's dot products against its competing items. Elementwise ops are left out, so GFLOP/s reads
 * as the matmul rate achieved.
 */
public final class TrainingFlops {
  private TrainingFlops() {}

  /**
   * @param rows sequences in the batch (B)
   * @param length positions fed (L)
   * @param targets positions with a target (M)
   * @param assignedItems the catalogue the full CE scores against
   */
  public static double step(ModelConfig cfg, int rows, int length, int targets, int assignedItems) {
    double d = cfg.dim();
    double encoderMacs = (double) rows * length * cfg.blocks() * (6 * d * d + 2.0 * length * d);
    // Full CE scores every assigned item; the others the positive and K negatives (shared or not).
    int competing = cfg.loss() == LossKind.CE ? assignedItems + 1 : cfg.negatives() + 1;
    double lossMacs = (double) targets * competing * d;
    return 3 * 2 * (encoderMacs + lossMacs);
  }
}
