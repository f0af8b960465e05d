package pulse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Decoupled weight decay (AdamW): one step with decay w moves each weight matrix by exactly {@code
 * -lr * w * value} more than the same step without it; biases and LayerNorm gains, the padding row
 * and the spare item rows do not decay; w = 0 is plain Adam.
 */
class WeightDecayTest {
  private static final int ASSIGNED = 7; // of 9 rows: 8 and 9 are spare
  private static final double DECAY = 0.5;

  @Test
  void decayIsDecoupledAndSparesPaddingSpareRowsBiasesAndGains() {
    TrainingBatch batch = TinyModels.batch(0);
    ModelConfig cfg = TinyModels.config(LossKind.CE, 1); // dropout 0: the step is deterministic
    float lr = (float) cfg.learningRate();
    try (SasRecModel plain = SasRecModel.create(cfg);
        SasRecModel decayed = SasRecModel.create(cfg)) {
      plain.setAssignedItems(ASSIGNED);
      decayed.setAssignedItems(ASSIGNED);
      var before = decayed.snapshot();
      var plainBefore = plain.snapshot();
      plain.trainStep(batch, null, 0);
      decayed.trainStep(batch, null, DECAY);
      int matrices = 0;
      for (String name : plain.variableNames(false)) {
        DenseTensor init = before.get(name);
        assertArrayEquals(init.values(), plainBefore.get(name).values(), 0f, "same init");
        float[] a = plain.readVariable(name).values();
        float[] b = decayed.readVariable(name).values();
        long[] shape = init.shape();
        if (shape.length < 2) {
          assertArrayEquals(a, b, 0f, name + " (bias or gain) does not decay");
          continue;
        }
        matrices++;
        int cols = (int) shape[shape.length - 1];
        for (int i = 0; i < a.length; i++) {
          int row = i / cols;
          boolean itemTable = name.equals(EncoderGraph.ITEM_EMBEDDING);
          boolean decays = !itemTable || (row >= 1 && row <= ASSIGNED);
          double expected = a[i] - (decays ? lr * DECAY * init.values()[i] : 0);
          assertEquals(expected, b[i], 1e-6, name + "[" + i + "]");
        }
      }
      assertTrue(matrices >= 4, "embeddings and dense kernels decay: " + matrices);
      assertThrows(IllegalArgumentException.class, () -> decayed.trainStep(batch, null, -1));
    }
  }
}
