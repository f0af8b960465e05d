package pulse.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Analytic gradients (tf.gradients through the whole encoder) against central finite differences.
 */
class GradientCheckTest {

  private static final String[] CHECKED = {
    EncoderGraph.ITEM_EMBEDDING,
    "position_embedding",
    "block0_q_w",
    "block0_k_w",
    "block0_v_w",
    "block0_o_b",
    "block0_attn_ln_gamma",
    "block1_ffn1_w",
    "block1_ffn2_b",
    "final_ln_beta"
  };

  @ParameterizedTest
  @EnumSource(LossKind.class)
  void gradientsMatchFiniteDifferences(LossKind loss) {
    int negatives = loss == LossKind.BCE ? 1 : 3;
    TrainingBatch batch = TinyModels.batch(negatives);
    try (SasRecModel m = SasRecModel.create(TinyModels.config(loss, negatives))) {
      Map<String, float[]> grads = m.gradients(batch);
      SplittableRandom r = new SplittableRandom(11);
      int checked = 0;
      for (String name : CHECKED) {
        DenseTensor v = m.readVariable(name);
        float[] g = grads.get(name);
        for (int trial = 0; trial < 4; trial++) {
          // For the item table prefer rows the batch uses, where the gradient is non-zero.
          int idx =
              name.equals(EncoderGraph.ITEM_EMBEDDING)
                  ? (1 + r.nextInt(7)) * 8 + r.nextInt(8)
                  : r.nextInt(v.values().length);
          double numeric = numericGradient(m, name, v, idx, batch);
          double analytic = g[idx];
          double tol = 2e-3 + 3e-2 * Math.abs(analytic);
          assertTrue(
              Math.abs(numeric - analytic) <= tol,
              loss + " " + name + "[" + idx + "]: analytic " + analytic + " vs numeric " + numeric);
          checked++;
        }
      }
      assertTrue(checked >= 40);
    }
  }

  private static double numericGradient(
      SasRecModel m, String name, DenseTensor v, int idx, TrainingBatch batch) {
    float eps = 5e-3f;
    float[] values = v.values().clone();
    float orig = values[idx];
    values[idx] = orig + eps;
    m.writeVariable(name, new DenseTensor(v.shape(), values));
    double up = m.loss(batch);
    values[idx] = orig - eps;
    m.writeVariable(name, new DenseTensor(v.shape(), values));
    double down = m.loss(batch);
    values[idx] = orig;
    m.writeVariable(name, new DenseTensor(v.shape(), values));
    return (up - down) / (2 * eps);
  }
}
