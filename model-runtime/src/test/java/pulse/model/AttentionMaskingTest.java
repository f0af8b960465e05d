package pulse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AttentionMaskingTest {

  private static final int LEN = 6;
  private static final int D = 8;

  @Test
  void noPositionSeesTheFuture() {
    try (SasRecModel m = SasRecModel.create(TinyModels.config())) {
      int[] a = {3, 1, 4, 2, 5, 9};
      for (int changed = 1; changed < LEN; changed++) {
        int[] b = a.clone();
        b[changed] = b[changed] == 7 ? 8 : 7;
        float[] oa = m.sequenceOutput(List.of(SequenceInput.of(a)));
        float[] ob = m.sequenceOutput(List.of(SequenceInput.of(b)));
        for (int p = 0; p < LEN; p++) {
          double diff = maxDiff(oa, ob, p);
          if (p < changed) {
            assertEquals(
                0.0, diff, 1e-6, "position " + p + " changed when item " + changed + " changed");
          } else if (p == changed) {
            assertTrue(diff > 1e-4, "position " + p + " should depend on its own item");
          }
        }
      }
    }
  }

  @Test
  void paddingContributesNothing() {
    try (SasRecModel m = SasRecModel.create(TinyModels.config())) {
      List<SequenceInput> in = List.of(SequenceInput.of(4, 2, 7)); // positions 0..2 are padding
      float[] before = m.sequenceOutput(in);
      // Scramble everything a padded position could leak: the padding row of the item table and the
      // position embeddings of the padded positions.
      DenseTensor items = m.readVariable(EncoderGraph.ITEM_EMBEDDING);
      float[] iv = items.values().clone();
      for (int j = 0; j < D; j++) iv[j] = 50f * (j + 1);
      m.writeVariable(EncoderGraph.ITEM_EMBEDDING, new DenseTensor(items.shape(), iv));
      DenseTensor pos = m.readVariable("position_embedding");
      float[] pv = pos.values().clone();
      for (int j = 0; j < 3 * D; j++) pv[j] = -30f + j;
      m.writeVariable("position_embedding", new DenseTensor(pos.shape(), pv));
      float[] after = m.sequenceOutput(in);
      for (int p = 3; p < LEN; p++) {
        assertEquals(0.0, maxDiff(before, after, p), 1e-5, "real position " + p + " saw padding");
      }
      // and a longer padded history gives the same user vector as a shorter one with the same real
      // items
      assertEquals(m.encode(in).length, 1);
    }
  }

  @Test
  void sameHistoryGivesSameUserVectorRegardlessOfBatchNeighbours() {
    try (SasRecModel m = SasRecModel.create(TinyModels.config())) {
      float[][] alone = m.encode(List.of(SequenceInput.of(1, 2, 3)));
      float[][] together =
          m.encode(List.of(SequenceInput.of(1, 2, 3), SequenceInput.of(9, 8, 7, 6, 5, 4)));
      for (int j = 0; j < D; j++) assertEquals(alone[0][j], together[0][j], 1e-5);
    }
  }

  private static double maxDiff(float[] a, float[] b, int position) {
    double m = 0;
    for (int j = 0; j < D; j++)
      m = Math.max(m, Math.abs(a[position * D + j] - b[position * D + j]));
    return m;
  }
}
