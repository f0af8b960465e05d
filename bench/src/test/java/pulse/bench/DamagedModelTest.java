package pulse.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.model.Device;
import pulse.model.EncoderGraph;
import pulse.model.ItemTransitions;
import pulse.model.LossKind;
import pulse.model.ModelConfig;
import pulse.model.SasRecModel;
import pulse.model.SequenceInput;
import pulse.model.TransitionBlend;
import pulse.model.data.ItemVocabulary;
import pulse.model.export.Manifest;
import pulse.model.export.ModelDirectory;

class DamagedModelTest {
  private static final int ITEMS = 30;
  private static final int ROWS = 36; // 6 spare rows, which must keep their values
  private static final int DIM = 8;

  @TempDir static Path dir;
  private static Path source;
  private static Manifest sourceManifest;

  /** An untrained (random, seeded) model with a transition blend: enough for a permutation. */
  @BeforeAll
  static void export() throws Exception {
    ModelConfig config =
        new ModelConfig(
            ROWS, DIM, 2, 1, 6, 0.0, 0.01, 4, LossKind.BCE, 1, 0.75, 7L, 0, 0, 0, Device.CPU);
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= ITEMS; i++) {
      ids.add("m" + i);
    }
    ItemVocabulary items = ItemVocabulary.withCapacity(ids, ROWS);
    source = dir.resolve("source");
    try (SasRecModel model = SasRecModel.create(config, 1)) {
      model.setAssignedItems(ITEMS);
      // Untrained moments are zero: give them the table's values, to see that they follow the rows.
      String table = EncoderGraph.ITEM_EMBEDDING;
      model.writeVariable(table + "_adam_m", model.readVariable(table));
      model.writeVariable(table + "_adam_v", model.readVariable(table));
      int[][] sequences = {{1, 2, 3, 4, 5}, {2, 3, 6, 7}, {8, 9, 10, 1}};
      model.setTransitionBlend(
          new TransitionBlend(ItemTransitions.fit(sequences, ITEMS), 0.5f, 0.5f));
      sourceManifest =
          ModelDirectory.export(
              model, items, Map.of("source", "test"), Map.of("ndcg10", 0.1), source);
    }
    assertTrue(Files.exists(source.resolve(ModelDirectory.TRANSITIONS)));
  }

  @Test
  void itemRowsArePermutedAmongTheCatalogueOnly() throws Exception {
    Path target = dir.resolve("damaged");
    Manifest m = DamagedModel.shuffledItemEmbeddings(source, target, 11);
    float[][] before = rows(source);
    float[][] after = rows(target);
    assertArrayEquals(before[0], after[0], "padding row kept");
    for (int r = ITEMS + 1; r <= ROWS; r++) {
      assertArrayEquals(before[r], after[r], "spare row " + r + " kept");
    }
    List<String> was = sorted(Arrays.copyOfRange(before, 1, ITEMS + 1));
    List<String> now = sorted(Arrays.copyOfRange(after, 1, ITEMS + 1));
    assertEquals(was, now, "the same rows, in another order");
    int moved = 0;
    for (int r = 1; r <= ITEMS; r++) {
      if (!Arrays.equals(before[r], after[r])) {
        moved++;
      }
    }
    assertTrue(moved >= ITEMS * 3 / 4, moved + " of " + ITEMS + " rows moved");

    assertNotEquals(sourceManifest.modelVersion(), m.modelVersion());
    assertEquals(sourceManifest.itemIds(), m.itemIds());
    assertEquals(sourceManifest.config(), m.config());
    assertEquals(sourceManifest.data(), m.data());
    assertEquals(0.1, ((Number) m.metrics().get("ndcg10")).doubleValue());
    assertTrue(m.metrics().get("damaged").toString().contains("seed 11"));
    assertFalse(Files.exists(target.resolve(ModelDirectory.TRANSITIONS)));
    assertFalse(m.files().containsKey(ModelDirectory.TRANSITIONS));

    try (ModelDirectory.Loaded loaded = ModelDirectory.load(target)) {
      assertEquals(m.modelVersion(), loaded.manifest().modelVersion());
      assertEquals(sourceManifest.itemIds(), loaded.items().externalIds());
      assertEquals(ITEMS, loaded.model().assignedItems());
      assertNull(loaded.model().transitionBlend());
      float[] scores = loaded.model().scoreAll(List.of(SequenceInput.of(1, 2, 3)));
      assertEquals(ROWS + 1, scores.length, "it still answers, same shapes");
    }
    try (ModelDirectory.Loaded loaded = ModelDirectory.load(source)) {
      assertNotNull(loaded.model().transitionBlend(), "the source is left alone");
    }
  }

  @Test
  void adamMomentsMoveWithTheirRows() throws Exception {
    Path target = dir.resolve("moments");
    DamagedModel.shuffledItemEmbeddings(source, target, 5);
    String table = EncoderGraph.ITEM_EMBEDDING;
    try (ModelDirectory.Loaded loaded = ModelDirectory.load(target)) {
      float[] e = loaded.model().readVariable(table).values();
      assertArrayEquals(e, loaded.model().readVariable(table + "_adam_m").values());
      assertArrayEquals(e, loaded.model().readVariable(table + "_adam_v").values());
    }
  }

  @Test
  void theSameSeedGivesTheSameModelAndAnotherSeedAnother() throws Exception {
    DamagedModel.shuffledItemEmbeddings(source, dir.resolve("a"), 3);
    DamagedModel.shuffledItemEmbeddings(source, dir.resolve("b"), 3);
    DamagedModel.shuffledItemEmbeddings(source, dir.resolve("c"), 4);
    float[][] a = rows(dir.resolve("a"));
    assertTrue(Arrays.deepEquals(a, rows(dir.resolve("b"))));
    assertFalse(Arrays.deepEquals(a, rows(dir.resolve("c"))));
  }

  /** Rows 0..ROWS of the item table, read through the row API. */
  private static float[][] rows(Path model) throws Exception {
    try (ModelDirectory.Loaded loaded = ModelDirectory.load(model)) {
      int[] all = new int[ROWS + 1];
      Arrays.setAll(all, i -> i);
      float[] v = loaded.model().readItemRows(all);
      float[][] out = new float[ROWS + 1][];
      for (int r = 0; r <= ROWS; r++) {
        out[r] = Arrays.copyOfRange(v, r * DIM, (r + 1) * DIM);
      }
      return out;
    }
  }

  private static List<String> sorted(float[][] rows) {
    return Arrays.stream(rows).map(Arrays::toString).sorted().toList();
  }
}
