package pulse.model.delta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.model.delta.SpareModels.INPUTS;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pulse.model.DenseTensor;
import pulse.model.EncoderGraph;
import pulse.model.Optimizer;
import pulse.model.SasRecModel;
import pulse.model.TinyModels;
import pulse.model.UpdateScope;
import pulse.model.data.ItemVocabulary;

class ModelDeltaTest {

  @Test
  void replicaApplyingDeltasInOrderScoresExactlyLikeTheTrainer() {
    byte[] base;
    try (SasRecModel m = SpareModels.trained()) {
      base = Checkpoint.toBytes(m, SpareModels.vocab(), "v0", true);
    }
    try (Checkpoint.Loaded trainer = Checkpoint.fromBytes(base, 0, null);
        Checkpoint.Loaded replica = Checkpoint.fromBytes(base, 0, null)) {
      SasRecModel t = trainer.model();
      SpareModels.assertSameOutputs(t, replica.model(), "at the base");
      List<ModelDelta> deltas = new ArrayList<>();

      // 1. lazy-Adam steps on a few item rows only
      int[] rows = {2, 3, 4};
      for (int i = 0; i < 2; i++) {
        t.updateStep(TinyModels.batch(1), UpdateScope.itemRows(rows), Optimizer.ADAM, 0.05f);
      }
      deltas.add(ModelDelta.capture(t, "v0", "v1", rows, List.of(), List.of()));

      // 2. a new item from the stream: grow the vocabulary, initialise its row, assign it, then a
      // step that
      //    moves every dense weight and the batch's rows
      int row = trainer.items().add("item-new");
      assertEquals(10, row);
      t.initItemRows(new int[] {row}, t.meanItemRow(new int[] {1, 2}));
      t.setAssignedItems(row);
      int[] batchRows = {1, 2, 4, 5, 6, 7, 8, 9, 10, 3};
      t.updateStep(
          SpareModels.batchWithItem10(),
          new UpdateScope.Only(new HashSet<>(t.variableNames(false)), batchRows),
          Optimizer.ADAM,
          0.01f);
      deltas.add(
          ModelDelta.capture(
              t, "v1", "v2", batchRows, ModelDelta.denseWeights(t), List.of("item-new")));

      // 3. an unrestricted step (all rows with momentum move): send every assigned row and every
      // weight
      t.updateStep(TinyModels.batch(1), UpdateScope.all(), Optimizer.ADAM, 0.01f);
      t.updateStep(SpareModels.batchWithItem10(), UpdateScope.all(), Optimizer.SGD, 0.01f);
      deltas.add(
          ModelDelta.capture(
              t,
              "v2",
              "v3",
              SpareModels.range(1, t.assignedItems()),
              ModelDelta.denseWeights(t),
              List.of()));

      for (ModelDelta d : deltas) {
        assertTrue(d.allFinite());
        ModelDelta shipped = ModelDelta.fromBytes(d.toBytes());
        assertEquals(d, shipped);
        assertNotEquals(
            Arrays.toString(t.scoreAll(INPUTS)),
            Arrays.toString(replica.model().scoreAll(INPUTS)),
            "the replica lags before " + d.version());
        shipped.applyTo(replica.model(), replica.items());
      }
      SpareModels.assertSameOutputs(t, replica.model(), "after the deltas");
      assertEquals(10, replica.model().assignedItems());
      assertEquals(10, replica.items().indexOf("item-new"));
      assertEquals(trainer.items().externalIds(), replica.items().externalIds());
      for (String name : t.variableNames(false)) {
        assertArrayEquals(
            t.readVariable(name).values(), replica.model().readVariable(name).values(), name);
      }
    }
  }

  @Test
  void bytesRoundTripAndDamagedBlobsAreRefused() {
    try (SasRecModel m = SpareModels.trained()) {
      ModelDelta d =
          ModelDelta.capture(
              m,
              "v0",
              "v1",
              new int[] {3, 1, 7},
              List.of("final_ln_gamma", "block0_q_w"),
              List.of("é-unicode-id"));
      byte[] bytes = d.toBytes();
      assertEquals(bytes.length, d.sizeBytes());
      ModelDelta back = ModelDelta.fromBytes(bytes);
      assertEquals(d, back);
      assertArrayEquals(m.readItemRows(new int[] {3, 1, 7}), back.rowValues());
      assertEquals(List.of("final_ln_gamma", "block0_q_w"), List.copyOf(back.dense().keySet()));
      assertEquals(8, back.dim());

      for (int at : new int[] {0, 5, bytes.length / 2, bytes.length - 1}) {
        byte[] bad = bytes.clone();
        bad[at] ^= 0x10;
        DeltaFormatException e =
            assertThrows(DeltaFormatException.class, () -> ModelDelta.fromBytes(bad));
        assertTrue(e.getMessage().contains(at == 0 ? "magic" : "CRC32"), e.getMessage());
      }
      DeltaFormatException cut =
          assertThrows(
              DeltaFormatException.class,
              () -> ModelDelta.fromBytes(Arrays.copyOf(bytes, bytes.length - 9)));
      assertTrue(cut.getMessage().contains("CRC32"), cut.getMessage());
      assertThrows(DeltaFormatException.class, () -> ModelDelta.fromBytes(new byte[3]));
      DeltaFormatException notDelta =
          assertThrows(
              DeltaFormatException.class,
              () -> ModelDelta.fromBytes(Checkpoint.toBytes(m, SpareModels.vocab(), "v0")));
      assertTrue(notDelta.getMessage().contains("not a model delta"), notDelta.getMessage());

      ModelDelta empty = new ModelDelta(null, "v2", new int[0], new float[0], Map.of(), List.of());
      assertEquals(empty, ModelDelta.fromBytes(empty.toBytes()));
    }
  }

  @Test
  void nonFiniteValuesAreDetectedAndRefused() {
    try (SasRecModel m = SpareModels.trained()) {
      ModelDelta ok =
          ModelDelta.capture(m, "v0", "v1", new int[] {2}, List.of("final_ln_beta"), List.of());
      assertTrue(ok.allFinite());
      float[] rowValues = ok.rowValues().clone();
      rowValues[3] = Float.NaN;
      ModelDelta nanRow = new ModelDelta("v0", "v1", ok.rows(), rowValues, ok.dense(), List.of());
      assertFalse(nanRow.allFinite());
      assertFalse(ModelDelta.fromBytes(nanRow.toBytes()).allFinite());
      DenseTensor beta = ok.dense().get("final_ln_beta");
      float[] inf = beta.values().clone();
      inf[0] = Float.POSITIVE_INFINITY;
      ModelDelta infDense =
          new ModelDelta(
              "v0",
              "v1",
              ok.rows(),
              ok.rowValues(),
              Map.of("final_ln_beta", new DenseTensor(beta.shape(), inf)),
              List.of());
      assertFalse(infDense.allFinite());

      float[] before = m.scoreAll(INPUTS);
      ItemVocabulary vocab = SpareModels.vocab();
      assertThrows(IllegalArgumentException.class, () -> nanRow.applyTo(m, vocab));
      assertThrows(IllegalArgumentException.class, () -> infDense.applyTo(m, vocab));
      assertArrayEquals(before, m.scoreAll(INPUTS));
    }
  }

  @Test
  void badDeltasChangeNothing() {
    try (SasRecModel m = SpareModels.trained()) {
      ItemVocabulary vocab = SpareModels.vocab();
      int d = m.config().dim();
      float[] rows = new float[2 * d];
      Arrays.fill(rows, 0.5f);
      DenseTensor gamma = m.readVariable("final_ln_gamma");
      DenseTensor gamma2 = new DenseTensor(gamma.shape(), new float[gamma.values().length]);
      Map<String, DenseTensor> unknown = new LinkedHashMap<>();
      unknown.put("final_ln_gamma", gamma2);
      unknown.put("no_such_weight", gamma2);

      Map<String, ModelDelta> bad = new LinkedHashMap<>();
      bad.put(
          "width",
          new ModelDelta(
              "v0", "v1", new int[] {1, 2}, new float[2 * (d + 1)], Map.of(), List.of()));
      bad.put("variable", new ModelDelta("v0", "v1", new int[] {1, 2}, rows, unknown, List.of()));
      String slot = EncoderGraph.ITEM_EMBEDDING + "_adam_m";
      bad.put(
          "slot",
          new ModelDelta(
              "v0", "v1", new int[] {1, 2}, rows, Map.of(slot, m.readVariable(slot)), List.of()));
      bad.put(
          "shape",
          new ModelDelta(
              "v0",
              "v1",
              new int[] {1, 2},
              rows,
              Map.of("final_ln_gamma", new DenseTensor(new long[] {d + 1}, new float[d + 1])),
              List.of()));
      bad.put("row", new ModelDelta("v0", "v1", new int[] {1, 13}, rows, Map.of(), List.of()));
      bad.put(
          "new item without its row",
          new ModelDelta("v0", "v1", new int[] {1, 2}, rows, Map.of(), List.of("item-new")));
      bad.put(
          "too many new items",
          new ModelDelta(
              "v0",
              "v1",
              SpareModels.range(10, 13),
              new float[4 * d],
              Map.of(),
              List.of("a", "b", "c", "d")));

      float[] scores = m.scoreAll(INPUTS);
      float[] table = m.readVariable(EncoderGraph.ITEM_EMBEDDING).values();
      for (var e : bad.entrySet()) {
        IllegalArgumentException ex =
            assertThrows(
                IllegalArgumentException.class, () -> e.getValue().applyTo(m, vocab), e.getKey());
        assertFalse(ex instanceof DeltaFormatException, e.getKey());
        assertArrayEquals(scores, m.scoreAll(INPUTS), e.getKey() + ": " + ex.getMessage());
        assertArrayEquals(table, m.readVariable(EncoderGraph.ITEM_EMBEDDING).values(), e.getKey());
        assertArrayEquals(gamma.values(), m.readVariable("final_ln_gamma").values(), e.getKey());
        assertEquals(SpareModels.ITEMS, vocab.size(), e.getKey());
        assertEquals(SpareModels.ITEMS, m.assignedItems(), e.getKey());
      }
      // capture refuses optimiser slots and rows outside the table
      assertThrows(
          IllegalArgumentException.class,
          () -> ModelDelta.capture(m, "v0", "v1", new int[0], List.of("adam_step"), List.of()));
      assertThrows(
          IllegalArgumentException.class,
          () -> ModelDelta.capture(m, "v0", "v1", new int[] {13}, List.of(), List.of()));
    }
  }
}
