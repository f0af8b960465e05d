package pulse.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The "because you viewed ..." explanation: graph ops built once by {@link EncoderGraph} (attention
 * rollout and per-candidate contributions) and the Java-side ranking of one row's contributions.
 *
 * <p>Attention rollout (Abnar and Zuidema 2020, "Quantifying Attention Flow in Transformers"): per
 * block the head-averaged attention probabilities A, mixed with the residual connection as {@code
 * 0.5 A + 0.5 I} and rows renormalised, multiplied across blocks; the row of the last position (the
 * user vector) tells how much of that position's representation flows from each input position. A
 * position's contribution to a candidate j is its rollout weight times {@code (1 + cos(e_p, e_j)) /
 * 2} over the tied item table, normalised over the positions.
 *
 * <p>Why a soft cosine gate rather than {@code max(0, e_p . e_j)}: the hard gate vetoes a position
 * the encoder attends to whenever the two input embeddings happen to point apart, and the embedding
 * of an item that predicts j two steps later is not trained to point towards e_j. On the synthetic
 * pairs of {@code ExplainTrainedTest} (12 seeds, 72 checks) the hard gate once zeroed the trigger
 * item carrying 71% of the rollout and cited a filler with 2%; the soft gate keeps attention first
 * (it rescales by a factor in [0, 1], by at most 3x for cosines within +-0.5) and cited the trigger
 * in all 72. Cosine, not the raw dot product, so large-norm (popular) items do not outweigh
 * attention by norm alone.
 */
final class Explainer {

  private Explainer() {}

  /**
   * Rollout row of the last position, [B, L]: non-negative, summing to 1 over the real positions, 0
   * on padding (and 0 everywhere when the last position itself is padding: its output ignores the
   * history).
   *
   * @param attention per block, oldest first, the head-averaged inference attention probabilities
   *     [B, L, L]
   * @param mask [B, L], 1 at real positions
   */
  static Operand<TFloat32> rollout(
      Ops tf, List<Operand<TFloat32>> attention, Operand<TFloat32> mask, int len) {
    float[][] eye = new float[len][len];
    for (int i = 0; i < len; i++) eye[i][i] = 1f;
    Operand<TFloat32> identity = tf.constant(eye);
    Operand<TFloat32> queryMask = tf.expandDims(mask, tf.constant(2)); // [B,L,1]
    Operand<TFloat32> keyMask = tf.expandDims(mask, tf.constant(1)); // [B,1,L]
    Operand<TFloat32> row = null; // [B,1,L]
    // Only the last row of the product is needed, so walk from the top block down with
    // vector-matrix products:
    // O(B L^2) per block instead of the full O(B L^3) matrix product.
    for (int b = attention.size() - 1; b >= 0; b--) {
      // A padding query's softmax is uniform over all-masked keys; those rows (and padding keys)
      // are masked
      // so the rollout can never route weight through a position whose output the encoder zeroes.
      Operand<TFloat32> a = tf.math.mul(tf.math.mul(attention.get(b), queryMask), keyMask);
      Operand<TFloat32> mixed =
          tf.math.add(tf.math.mul(tf.constant(0.5f), a), tf.math.mul(tf.constant(0.5f), identity));
      mixed = tf.math.div(mixed, tf.reduceSum(mixed, tf.constant(-1), ReduceSum.keepDims(true)));
      row =
          row == null
              ? tf.gather(mixed, tf.constant(new int[] {len - 1}), tf.constant(1))
              : tf.train.batchMatMul(row, mixed, TFloat32.class);
    }
    Operand<TFloat32> masked = tf.math.mul(tf.reshape(row, tf.constant(new int[] {-1, len})), mask);
    // Already sums to 1 when the last position is real; the division only guards the all-padding
    // row.
    Operand<TFloat32> total =
        tf.math.maximum(
            tf.reduceSum(masked, tf.constant(-1), ReduceSum.keepDims(true)), tf.constant(1e-12f));
    return tf.math.div(masked, total);
  }

  /**
   * Per candidate, each position's share [B, C, L]: {@code a_p * (1 + cos(e_{h_p}, e_j)) / 2}
   * normalised over the positions, or the rollout weights themselves where that is 0 everywhere
   * (only when every history embedding points exactly away from e_j; an empty history stays all 0).
   *
   * @param rollout [B, L] from {@link #rollout}
   * @param itemTable [N+1, d] the tied item embedding
   * @param items [B, L] the left-padded input
   * @param candidates [B, C] items to explain
   */
  static Operand<TFloat32> contributions(
      Ops tf,
      Operand<TFloat32> rollout,
      Operand<TFloat32> itemTable,
      Operand<TInt32> items,
      Operand<TInt32> candidates) {
    Operand<TFloat32> history = unit(tf, tf.gather(itemTable, items, tf.constant(0))); // [B,L,d]
    Operand<TFloat32> wanted =
        unit(tf, tf.gather(itemTable, candidates, tf.constant(0))); // [B,C,d]
    Operand<TFloat32> cosine =
        tf.train.batchMatMul(wanted, history, TFloat32.class, BatchMatMul.adjY(true));
    // relu only trims float overshoot below -1; the gate lies in [0, 1]
    Operand<TFloat32> similarity =
        tf.nn.relu(tf.math.mul(tf.math.add(cosine, tf.constant(1f)), tf.constant(0.5f))); // [B,C,L]
    Operand<TFloat32> a = tf.expandDims(rollout, tf.constant(1)); // [B,1,L]
    Operand<TFloat32> raw = tf.math.mul(similarity, a);
    Operand<TFloat32> total =
        tf.reduceSum(raw, tf.constant(-1), ReduceSum.keepDims(true)); // [B,C,1]
    Operand<TFloat32> related =
        tf.dtypes.cast(tf.math.greater(total, tf.constant(0f)), TFloat32.class);
    Operand<TFloat32> normalised = tf.math.div(raw, tf.math.maximum(total, tf.constant(1e-30f)));
    return tf.math.add(
        tf.math.mul(related, normalised), tf.math.mul(tf.math.sub(tf.constant(1f), related), a));
  }

  /** Rows scaled to unit length (a zero row stays zero, so its cosine is 0). */
  private static Operand<TFloat32> unit(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> squared =
        tf.reduceSum(tf.math.square(x), tf.constant(-1), ReduceSum.keepDims(true));
    return tf.math.mul(x, tf.math.rsqrt(tf.math.maximum(squared, tf.constant(1e-24f))));
  }

  /**
   * One candidate's explanation from its per-position weights: weights of a repeated history item
   * are summed, padding and zero weights dropped, the best {@code topN} kept (ties: the more recent
   * item first).
   *
   * @param paddedItems the row's left-padded input, [L] starting at {@code offset}
   * @param weights the candidate's weights, [L] starting at {@code weightOffset}
   */
  static Explanation rank(
      int candidate,
      int[] paddedItems,
      int offset,
      float[] weights,
      int weightOffset,
      int len,
      int topN) {
    // Primitive arrays, not a map: this runs B x C times per call, over at most maxLen distinct
    // items.
    int[] ids = new int[len];
    float[] sums = new float[len];
    int n = 0;
    for (int p = len - 1;
        p >= 0;
        p--) { // most recent first, so ties go to the more recent item below
      int item = paddedItems[offset + p];
      float w = weights[weightOffset + p];
      if (item == 0 || !(w > 0f)) continue;
      int i = 0;
      while (i < n && ids[i] != item) i++;
      if (i == n) ids[n++] = item;
      sums[i] += w;
    }
    int keep = Math.min(topN, n);
    int[] bestIds = new int[keep];
    float[] bestWeights = new float[keep];
    for (int r = 0; r < keep; r++) { // selection: keep is small (a handful), n at most maxLen
      int best = -1;
      for (int i = 0; i < n; i++) {
        if (ids[i] != 0 && (best < 0 || sums[i] > sums[best])) best = i;
      }
      bestIds[r] = ids[best];
      bestWeights[r] = sums[best];
      ids[best] = 0; // taken
    }
    return new Explanation(candidate, bestIds, bestWeights);
  }
}
