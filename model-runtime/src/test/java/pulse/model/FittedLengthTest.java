package pulse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sequences are fed as long as the batch's longest history (rounded up to {@link
 * Padding#LENGTH_STEP}), not maxLen: the answers must be those of the maxLen layout, only cheaper.
 */
class FittedLengthTest {
  private static final int MAX_LEN = 40;
  private static final float TOLERANCE = 1e-5f;

  private static ModelConfig config() {
    return new ModelConfig(
        30,
        8,
        2,
        2,
        MAX_LEN,
        0.0,
        0.01,
        4,
        LossKind.SAMPLED_SOFTMAX,
        3,
        0.75,
        5L,
        0,
        0,
        0,
        Device.CPU);
  }

  @Test
  void theFittedLengthIsTheLongestHistoryInStepsAtMostMaxLen() {
    assertEquals(8, Padding.fittedLength(0, MAX_LEN));
    assertEquals(8, Padding.fittedLength(8, MAX_LEN));
    assertEquals(16, Padding.fittedLength(9, MAX_LEN));
    assertEquals(40, Padding.fittedLength(39, MAX_LEN));
    assertEquals(40, Padding.fittedLength(500, MAX_LEN));
  }

  @Test
  void aShortHistoryScoresAsInTheMaxLenLayout() {
    try (SasRecModel m = SasRecModel.create(config())) {
      SequenceInput shortOne = SequenceInput.of(4, 2, 7);
      // sequenceOutput always feeds maxLen positions; the user vector is its last position.
      float[] full = m.sequenceOutput(List.of(shortOne));
      float[] lastFull = Arrays.copyOfRange(full, (MAX_LEN - 1) * 8, MAX_LEN * 8);
      assertArrayEquals(lastFull, m.encode(List.of(shortOne))[0], TOLERANCE);

      // Alone (8 positions) and beside a 35-item history (40 positions): the same top items and
      // scores.
      int[] longHistory = new int[35];
      for (int i = 0; i < longHistory.length; i++) longHistory[i] = 1 + (i * 7) % 30;
      RecommendRequest request = new RecommendRequest(shortOne, new int[] {4, 2, 7}, null);
      Recommendations alone = m.recommend(List.of(request), 10).get(0);
      Recommendations beside =
          m.recommend(
                  List.of(
                      request,
                      new RecommendRequest(SequenceInput.of(longHistory), new int[0], null)),
                  10)
              .get(0);
      assertArrayEquals(alone.items(), beside.items());
      assertArrayEquals(alone.scores(), beside.scores(), TOLERANCE);
    }
  }

  @Test
  void fittedRowsHaveTheLossAndGradientsOfMaxLenRows() {
    int[] history = {3, 9, 12, 5};
    TrainingBatch fitted = lastPositionBatch(history, 8);
    TrainingBatch padded = lastPositionBatch(history, MAX_LEN);
    try (SasRecModel m = SasRecModel.create(config())) {
      assertEquals(m.loss(padded), m.loss(fitted), TOLERANCE);
      // Gradients, not Adam steps: the key bias's gradient is zero in exact arithmetic (softmax
      // ignores a
      // shift shared by all keys), and Adam scales the rounding noise left there up to a step of
      // ~lr/100.
      Map<String, float[]> expected = m.gradients(padded);
      Map<String, float[]> got = m.gradients(fitted);
      assertEquals(expected.keySet(), got.keySet());
      for (var e : expected.entrySet()) {
        assertArrayEquals(e.getValue(), got.get(e.getKey()), TOLERANCE, e.getKey());
      }
    }
  }

  @Test
  void rowsLongerThanMaxLenAreRefused() {
    try (SasRecModel m = SasRecModel.create(config())) {
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () -> m.loss(lastPositionBatch(new int[] {1, 2}, MAX_LEN + 8)));
      assertEquals("batch length 48 is outside 1..40 (the model's maxLen)", e.getMessage());
    }
  }

  /** One row: the history left-padded to len, target 11 at the last position, negatives 1, 2, 3. */
  private static TrainingBatch lastPositionBatch(int[] history, int len) {
    int[] items = new int[len];
    Padding.leftPadInto(history, items, 0, len, Integer.MAX_VALUE);
    int[] positives = new int[len];
    positives[len - 1] = 11;
    int[] negatives = new int[len * 3];
    negatives[(len - 1) * 3] = 1;
    negatives[(len - 1) * 3 + 1] = 2;
    negatives[(len - 1) * 3 + 2] = 3;
    return new TrainingBatch(1, len, 3, items, positives, negatives);
  }
}
