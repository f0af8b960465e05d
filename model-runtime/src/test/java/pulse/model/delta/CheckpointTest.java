package pulse.model.delta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.model.delta.SpareModels.INPUTS;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import pulse.model.Device;
import pulse.model.EncoderGraph;
import pulse.model.Optimizer;
import pulse.model.SasRecModel;
import pulse.model.TinyModels;
import pulse.model.UpdateScope;
import pulse.model.data.ItemVocabulary;

class CheckpointTest {

  @Test
  void roundTripScoresIdenticallyWithAndWithoutOptimizerState() {
    try (SasRecModel m = SpareModels.trained()) {
      ItemVocabulary vocab = SpareModels.vocab();
      int row = vocab.add("new-one");
      m.initItemRows(new int[] {row}, m.meanItemRow(new int[0]));
      m.setAssignedItems(row);
      byte[] weights = Checkpoint.toBytes(m, vocab, "v7");
      byte[] full = Checkpoint.toBytes(m, vocab, "v7", true);
      assertTrue(full.length > 2 * weights.length, weights.length + " vs " + full.length);
      try (Checkpoint.Loaded a = Checkpoint.fromBytes(weights, 1, null);
          Checkpoint.Loaded b = Checkpoint.fromBytes(full, 0, Device.CPU)) {
        for (Checkpoint.Loaded l : List.of(a, b)) {
          assertEquals("v7", l.version());
          assertEquals(m.config(), l.model().config());
          assertEquals(10, l.model().assignedItems());
          assertEquals(vocab.externalIds(), l.items().externalIds());
          assertEquals(SpareModels.CAPACITY, l.items().capacity());
          SpareModels.assertSameOutputs(m, l.model(), "after loading " + l);
        }
        // Only the checkpoint with optimiser state carries on exactly like the original.
        assertArrayEquals(
            m.readVariable("adam_step").values(), b.model().readVariable("adam_step").values());
        assertArrayEquals(new float[] {0f}, a.model().readVariable("adam_step").values());
        for (SasRecModel x : List.of(m, b.model())) {
          x.updateStep(TinyModels.batch(1), UpdateScope.all(), Optimizer.ADAM, 0.01f);
        }
        assertArrayEquals(m.scoreAll(INPUTS), b.model().scoreAll(INPUTS));
        assertArrayEquals(
            m.readVariable(EncoderGraph.ITEM_EMBEDDING + "_adam_v").values(),
            b.model().readVariable(EncoderGraph.ITEM_EMBEDDING + "_adam_v").values());
      }
    }
  }

  @Test
  void damagedOrForeignCheckpointsAreRefused() {
    try (SasRecModel m = SpareModels.trained()) {
      byte[] bytes = Checkpoint.toBytes(m, SpareModels.vocab(), "v1");
      byte[] bad = bytes.clone();
      bad[bytes.length / 3] ^= 1;
      DeltaFormatException e =
          assertThrows(DeltaFormatException.class, () -> Checkpoint.fromBytes(bad, 0, null));
      assertTrue(e.getMessage().contains("checkpoint is damaged: CRC32 mismatch"), e.getMessage());
      assertThrows(
          DeltaFormatException.class,
          () -> Checkpoint.fromBytes(Arrays.copyOf(bytes, 100), 0, null));
      byte[] delta = ModelDelta.capture(m, "a", "b", new int[] {1}, List.of(), List.of()).toBytes();
      assertTrue(
          assertThrows(DeltaFormatException.class, () -> Checkpoint.fromBytes(delta, 0, null))
              .getMessage()
              .contains("not a checkpoint"));
    }
  }
}
