package pulse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The graph's cross-entropy losses against the same sums written out in Java from the encoder's
 * outputs and the item table: only targeted positions count, the padding row and spare rows never
 * compete, a shared negative equal to the positive is masked, and logQ shifts the logits.
 */
class CrossEntropyLossTest {
  private static final int ASSIGNED = 7; // of 9 rows: 8 and 9 are spare

  @Test
  void fullSoftmaxIsCrossEntropyOverAssignedItemsAtTargetedPositions() {
    TrainingBatch batch = TinyModels.batch(0);
    try (SasRecModel m = SasRecModel.create(TinyModels.config(LossKind.CE, 1))) {
      m.setAssignedItems(ASSIGNED);
      double expected = expected(m, batch, null, null, null);
      assertEquals(expected, m.loss(batch), 1e-4);
    }
  }

  @Test
  void sampledSoftmaxMasksAccidentalHitsAndAppliesLogQ() {
    TrainingBatch batch = TinyModels.batch(0);
    int[] negatives = {3, 5, 5, 1, 6}; // 3, 5 and 6 are some rows' positives
    float[] logQ = {-1.5f, -0.5f, -0.5f, -2f, -1f};
    float[] positiveLogQ = new float[batch.positives().length];
    for (int i = 0; i < positiveLogQ.length; i++) positiveLogQ[i] = -0.25f * (i % 3);
    try (SasRecModel m = SasRecModel.create(TinyModels.config(LossKind.SAMPLED_CE_POP, 5))) {
      m.setAssignedItems(ASSIGNED);
      double expected = expected(m, batch, negatives, logQ, positiveLogQ);
      assertEquals(
          expected, m.loss(batch, new SharedNegatives(negatives, logQ, positiveLogQ)), 1e-4);
      double uniform = expected(m, batch, negatives, null, null);
      assertEquals(uniform, m.loss(batch, new SharedNegatives(negatives, null, null)), 1e-4);
    }
  }

  /** Mean over targeted positions of logsumexp(competitors) - positive logit, in doubles. */
  private static double expected(
      SasRecModel m, TrainingBatch b, int[] negatives, float[] logQ, float[] positiveLogQ) {
    int d = m.config().dim();
    List<SequenceInput> inputs = new java.util.ArrayList<>();
    for (int r = 0; r < b.size(); r++) {
      int[] row = new int[b.maxLen()];
      System.arraycopy(b.items(), r * b.maxLen(), row, 0, b.maxLen());
      inputs.add(SequenceInput.of(java.util.Arrays.stream(row).filter(i -> i != 0).toArray()));
    }
    float[] out = m.sequenceOutput(inputs); // [B, L, d], left-padded to maxLen
    float[] table = m.readVariable(EncoderGraph.ITEM_EMBEDDING).values();
    double sum = 0;
    int count = 0;
    for (int p = 0; p < b.positives().length; p++) {
      int pos = b.positives()[p];
      if (pos == 0) continue;
      int x = p * d; // T = L: position p of the flattened [B*L] is row p of the output
      double posLogit = dot(out, x, table, pos * d, d) - (logQ == null ? 0 : positiveLogQ[p]);
      double max = posLogit;
      double[] logits;
      if (negatives == null) {
        logits = new double[ASSIGNED];
        for (int i = 1; i <= ASSIGNED; i++) logits[i - 1] = dot(out, x, table, i * d, d);
      } else {
        logits = new double[negatives.length + 1];
        logits[0] = posLogit;
        for (int k = 0; k < negatives.length; k++) {
          logits[k + 1] =
              negatives[k] == pos
                  ? Double.NEGATIVE_INFINITY
                  : dot(out, x, table, negatives[k] * d, d) - (logQ == null ? 0 : logQ[k]);
        }
      }
      for (double l : logits) max = Math.max(max, l);
      double z = 0;
      for (double l : logits) z += Math.exp(l - max);
      sum += Math.log(z) + max - posLogit;
      count++;
    }
    return sum / count;
  }

  private static double dot(float[] a, int ao, float[] b, int bo, int d) {
    double s = 0;
    for (int i = 0; i < d; i++) s += (double) a[ao + i] * b[bo + i];
    return s;
  }
}
