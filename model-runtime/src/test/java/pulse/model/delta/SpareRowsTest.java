package pulse.model.delta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import pulse.model.DenseTensor;
import pulse.model.Device;
import pulse.model.EncoderGraph;
import pulse.model.LossKind;
import pulse.model.ModelConfig;
import pulse.model.Optimizer;
import pulse.model.RecommendRequest;
import pulse.model.Recommendations;
import pulse.model.SasRecModel;
import pulse.model.SequenceInput;
import pulse.model.UpdateScope;
import pulse.model.data.ItemVocabulary;
import pulse.model.data.LeaveOneOutSplit;
import pulse.model.train.TrainOptions;
import pulse.model.train.Trainer;

class SpareRowsTest {

  private static final SequenceInput HISTORY = SequenceInput.of(3, 1, 4);

  private static int argmax(float[] v, int from, int to) {
    int best = from;
    for (int i = from; i <= to; i++) if (v[i] > v[best]) best = i;
    return best;
  }

  private static float[] scaled(float[] v, float by) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) out[i] = v[i] * by;
    return out;
  }

  @Test
  void spareRowsAreNeverRecommendedAndANewItemBecomesRecommendable() {
    try (SasRecModel m = SpareModels.trained()) {
      ItemVocabulary vocab = SpareModels.vocab();
      int d = m.config().dim();
      float[] user = m.encode(List.of(HISTORY))[0];
      // Spare row 11 points exactly along the user vector with a large norm: its raw score is the
      // highest.
      m.writeItemRows(new int[] {11}, scaled(user, 50f));
      DenseTensor table = m.readVariable(EncoderGraph.ITEM_EMBEDDING);
      float[] raw = new float[SpareModels.CAPACITY + 1];
      for (int i = 0; i <= SpareModels.CAPACITY; i++) {
        for (int j = 0; j < d; j++) raw[i] += user[j] * table.values()[i * d + j];
      }
      assertEquals(
          11, argmax(raw, 1, SpareModels.CAPACITY), "the spare row would win on its raw score");

      float[] scores = m.scoreAll(List.of(HISTORY));
      for (int i = 10; i <= 12; i++)
        assertTrue(scores[i] < -5e8f, "spare column " + i + " is masked");
      for (int i = 1; i <= 9; i++) assertEquals(raw[i], scores[i], 1e-4f, "assigned column " + i);
      Recommendations all =
          m.recommend(List.of(RecommendRequest.of(HISTORY)), SpareModels.CAPACITY).get(0);
      assertEquals(9, all.size(), "only the 9 assigned items come back");
      assertTrue(
          Arrays.stream(all.items()).allMatch(i -> i >= 1 && i <= 9), Arrays.toString(all.items()));
      Recommendations allowed =
          m.recommend(List.of(new RecommendRequest(HISTORY, new int[0], new int[] {2, 11, 12})), 5)
              .get(0);
      assertArrayEquals(
          new int[] {2}, allowed.items(), "an allowed set cannot bring a spare row back");
      assertThrows(
          IllegalArgumentException.class, () -> m.explain(List.of(HISTORY), new int[][] {{11}}, 1));
      // A spare row in a history is not an item yet: left out of the sequence.
      assertArrayEquals(
          m.encode(List.of(SequenceInput.of(3, 1, 4)))[0],
          m.encode(List.of(SequenceInput.of(3, 11, 1, 4, 12)))[0]);

      // A new item: vocabulary growth, then its row from the mean of the history items' rows.
      int row = vocab.add("fresh");
      assertEquals(10, row);
      float[] mean = m.meanItemRow(new int[] {3, 1, 4});
      float[] expectedMean = new float[d];
      for (int r : new int[] {3, 1, 4}) {
        for (int j = 0; j < d; j++) expectedMean[j] += table.values()[r * d + j] / 3f;
      }
      assertArrayEquals(expectedMean, mean, 1e-6f);
      m.initItemRows(new int[] {row}, mean);
      assertTrue(
          m.scoreAll(List.of(HISTORY))[10] < -5e8f,
          "initialised but not yet assigned: still masked");
      m.setAssignedItems(vocab.size());
      float[] after = m.scoreAll(List.of(HISTORY));
      assertTrue(after[10] > -5e8f);
      Recommendations withNew =
          m.recommend(List.of(RecommendRequest.of(HISTORY)), SpareModels.CAPACITY).get(0);
      assertEquals(10, withNew.size());
      assertTrue(Arrays.stream(withNew.items()).anyMatch(i -> i == 10));
      assertTrue(Arrays.stream(withNew.items()).noneMatch(i -> i == 11 || i == 12));
      // Made similar to where this history points, it is the top recommendation.
      m.initItemRows(new int[] {row}, scaled(user, 10f));
      Recommendations top =
          m.recommend(List.of(new RecommendRequest(HISTORY, new int[] {3, 1, 4}, null)), 3).get(0);
      assertEquals(10, top.items()[0]);
      assertTrue(Arrays.stream(top.items()).noneMatch(i -> i == 11 || i == 12));
      assertEquals(1, m.explain(List.of(HISTORY), new int[][] {{10}}, 1).get(0).size());
    }
  }

  @Test
  void vocabularyGrowsUpToTheCapacity() {
    ItemVocabulary v = SpareModels.vocab();
    assertEquals(SpareModels.CAPACITY, v.capacity());
    assertEquals(3, v.spare());
    assertEquals(-1, v.indexOf("a"), "indexOf never adds to a growable vocabulary");
    assertEquals(10, v.add("a"));
    assertEquals(10, v.add("a"), "adding a known id returns its index");
    assertEquals(11, v.add("b"));
    assertEquals(12, v.add("c"));
    IllegalStateException full = assertThrows(IllegalStateException.class, () -> v.add("d"));
    assertTrue(full.getMessage().contains("full"), full.getMessage());
    assertEquals("c", v.externalId(12));
    assertEquals(12, v.size());
    assertThrows(IndexOutOfBoundsException.class, () -> v.externalId(13));
    assertThrows(IllegalStateException.class, () -> ItemVocabulary.of(List.of("x")).add("y"));
    assertThrows(
        IllegalArgumentException.class, () -> ItemVocabulary.withCapacity(List.of("x", "y"), 1));
  }

  @Test
  void initItemRowsResetsTheRowsAdamMoments() {
    try (SasRecModel m = SpareModels.trained()) {
      String mSlot = EncoderGraph.ITEM_EMBEDDING + "_adam_m";
      String vSlot = EncoderGraph.ITEM_EMBEDDING + "_adam_v";
      int d = m.config().dim();
      float[] momentsBefore = m.readVariable(mSlot).values();
      assertTrue(nonZero(momentsBefore, 2 * d, 3 * d), "row 2 has momentum after training");
      m.initItemRows(new int[] {2}, new float[d]);
      float[] mAfter = m.readVariable(mSlot).values();
      float[] vAfter = m.readVariable(vSlot).values();
      assertTrue(!nonZero(mAfter, 2 * d, 3 * d) && !nonZero(vAfter, 2 * d, 3 * d));
      assertArrayEquals(
          Arrays.copyOfRange(momentsBefore, 3 * d, mAfter.length),
          Arrays.copyOfRange(mAfter, 3 * d, mAfter.length),
          "other rows keep their moments");
      assertArrayEquals(new float[d], m.readItemRows(new int[] {2}));
    }
  }

  private static boolean nonZero(float[] v, int from, int to) {
    for (int i = from; i < to; i++) if (v[i] != 0f) return true;
    return false;
  }

  @Test
  void trainingWithSpareRowsNeverTouchesThem() {
    // 30 users cycling through items 1..9; the table has 3 spare rows that no negative may hit.
    int[][] sequences = new int[30][];
    for (int u = 0; u < sequences.length; u++) {
      sequences[u] = new int[7];
      for (int t = 0; t < 7; t++) sequences[u][t] = 1 + (u + t) % 9;
    }
    ModelConfig cfg =
        new ModelConfig(
            SpareModels.CAPACITY,
            8,
            2,
            1,
            6,
            0.0,
            0.01,
            8,
            LossKind.GBCE,
            4,
            0.75,
            5L,
            0,
            0,
            0,
            Device.CPU);
    try (SasRecModel m = SasRecModel.create(cfg)) {
      m.setAssignedItems(9);
      float[] spareBefore = m.readItemRows(new int[] {10, 11, 12});
      float[] itemsBefore = m.readItemRows(new int[] {1, 2, 3});
      new Trainer(
              m,
              new TrainOptions(3, 0, 3, 0, 0, 1),
              new PrintStream(OutputStream.nullOutputStream()))
          .train(LeaveOneOutSplit.of(sequences), sequences);
      assertArrayEquals(
          spareBefore, m.readItemRows(new int[] {10, 11, 12}), "spare rows never sampled");
      assertNotEquals(
          Arrays.toString(itemsBefore), Arrays.toString(m.readItemRows(new int[] {1, 2, 3})));
      // a lazy update of a spare row still works (the learner's first step on a new item)
      m.updateStep(SpareModels.batchWithItem10(), UpdateScope.itemRows(10), Optimizer.ADAM, 0.01f);
      assertNotEquals(
          Arrays.toString(spareBefore), Arrays.toString(m.readItemRows(new int[] {10, 11, 12})));
    }
  }
}
