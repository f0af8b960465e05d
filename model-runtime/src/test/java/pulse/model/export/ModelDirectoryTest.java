package pulse.model.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.model.ItemTransitions;
import pulse.model.RecommendRequest;
import pulse.model.Recommendations;
import pulse.model.SasRecModel;
import pulse.model.SequenceInput;
import pulse.model.TinyModels;
import pulse.model.TransitionBlend;
import pulse.model.data.ItemVocabulary;

class ModelDirectoryTest {

  private static final List<SequenceInput> INPUTS =
      List.of(SequenceInput.of(1, 2, 3), SequenceInput.of(9, 4));

  private static ItemVocabulary vocab() {
    return ItemVocabulary.of(IntStream.rangeClosed(1, 9).mapToObj(i -> "item-" + i).toList());
  }

  /**
   * Exports a tiny model after a few training steps (so weights and Adam state are not the initial
   * ones).
   */
  private static float[] exportTrained(Path dir) throws Exception {
    try (SasRecModel m = SasRecModel.create(TinyModels.config())) {
      for (int i = 0; i < 3; i++) m.trainStep(TinyModels.batch(1));
      ModelDirectory.export(m, vocab(), Map.of("sha256", "test"), Map.of("note", "unit test"), dir);
      return m.scoreAll(INPUTS);
    }
  }

  @Test
  void roundTripGivesIdenticalScoresAndTopK(@TempDir Path dir) throws Exception {
    float[] before = exportTrained(dir);
    assertTrue(Files.isRegularFile(dir.resolve("saved_model/saved_model.pb")));
    try (ModelDirectory.Loaded loaded = ModelDirectory.load(dir)) {
      assertArrayEquals(before, loaded.model().scoreAll(INPUTS));
      assertEquals("item-4", loaded.items().externalId(4));
      assertEquals(9, loaded.manifest().config().numItems());
      assertEquals(
          9,
          loaded.model().assignedItems(),
          "an old-format model (itemIds == numItems) has no spare row");
      assertThrows(IllegalStateException.class, () -> loaded.items().add("item-10"));
      assertEquals("test", loaded.manifest().data().get("sha256"));
      List<Recommendations> recs =
          loaded.model().recommend(List.of(RecommendRequest.of(INPUTS.get(0))), 3);
      assertEquals(3, recs.get(0).size());
      // the top item is the highest non-padding score
      int best = 1;
      for (int i = 2; i <= 9; i++) if (before[i] > before[best]) best = i;
      assertEquals(best, recs.get(0).items()[0]);
    }
  }

  @Test
  void theTransitionBlendTravelsWithTheModel(@TempDir Path dir) throws Exception {
    float[] before;
    try (SasRecModel m = SasRecModel.create(TinyModels.config())) {
      m.setTransitionBlend(
          new TransitionBlend(ItemTransitions.fit(new int[][] {{3, 7, 1}, {4, 8}}, 9), 1.5f, 0.5f));
      ModelDirectory.export(m, vocab(), Map.of("sha256", "test"), Map.of(), dir);
      before = m.scoreAll(INPUTS);
    }
    assertTrue(Files.isRegularFile(dir.resolve(ModelDirectory.TRANSITIONS)));
    try (ModelDirectory.Loaded loaded = ModelDirectory.load(dir)) {
      assertEquals(1.5f, loaded.model().transitionBlend().weight());
      assertEquals(0.5f, loaded.model().transitionBlend().decay());
      assertArrayEquals(before, loaded.model().scoreAll(INPUTS));
    }
    Path table = dir.resolve(ModelDirectory.TRANSITIONS);
    byte[] bytes = Files.readAllBytes(table);
    bytes[bytes.length - 1] ^= 1;
    Files.write(table, bytes);
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelDirectory.load(dir));
    assertTrue(e.getMessage().contains(ModelDirectory.TRANSITIONS), e.getMessage());
  }

  @Test
  void aModelWithoutBlendWritesNoTable(@TempDir Path dir) throws Exception {
    exportTrained(dir);
    assertTrue(!Files.exists(dir.resolve(ModelDirectory.TRANSITIONS)));
    try (ModelDirectory.Loaded loaded = ModelDirectory.load(dir)) {
      assertEquals(null, loaded.model().transitionBlend());
    }
  }

  @Test
  void damagedVariablesAreRefused(@TempDir Path dir) throws Exception {
    exportTrained(dir);
    Path data;
    try (var files = Files.list(dir.resolve("saved_model/variables"))) {
      data =
          files
              .filter(p -> p.getFileName().toString().startsWith("variables.data"))
              .findFirst()
              .orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(data);
    bytes[bytes.length / 2] ^= 0x5A;
    Files.write(data, bytes);
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelDirectory.load(dir));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
  }

  @Test
  void configThatDoesNotMatchTheWeightsIsRefused(@TempDir Path dir) throws Exception {
    exportTrained(dir);
    Path mf = dir.resolve(ModelDirectory.MANIFEST);
    String text = Files.readString(mf, StandardCharsets.UTF_8);
    Files.writeString(mf, text.replace("\"dim\": 8", "\"dim\": 16"), StandardCharsets.UTF_8);
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelDirectory.load(dir));
    assertTrue(e.getMessage().contains("do not match"), e.getMessage());
  }

  @Test
  void truncatedManifestAndMissingDirectoryAreRefused(@TempDir Path dir) throws Exception {
    exportTrained(dir);
    Path mf = dir.resolve(ModelDirectory.MANIFEST);
    String text = Files.readString(mf, StandardCharsets.UTF_8);
    Files.writeString(mf, text.substring(0, text.length() / 2), StandardCharsets.UTF_8);
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelDirectory.load(dir));
    assertTrue(e.getMessage().contains("not readable JSON"), e.getMessage());
    assertThrows(ModelLoadException.class, () -> ModelDirectory.load(dir.resolve("nope")));
  }

  @Test
  void itemMappingLongerThanTheTableIsRefused(@TempDir Path dir) throws Exception {
    exportTrained(dir);
    Path mf = dir.resolve(ModelDirectory.MANIFEST);
    String text = Files.readString(mf, StandardCharsets.UTF_8);
    assertTrue(text.contains("\"item-9\"]"), "itemIds written on one line");
    Files.writeString(
        mf, text.replace("\"item-9\"]", "\"item-9\",\"item-10\"]"), StandardCharsets.UTF_8);
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelDirectory.load(dir));
    assertTrue(e.getMessage().contains("item ids"), e.getMessage());
  }

  @Test
  void exportAndLoadWithSpareRows(@TempDir Path dir) throws Exception {
    float[] before;
    try (SasRecModel m = SasRecModel.create(TinyModels.config().withNumItems(12))) {
      m.setAssignedItems(9);
      for (int i = 0; i < 3; i++) m.trainStep(TinyModels.batch(1));
      assertThrows(
          IllegalArgumentException.class,
          () ->
              ModelDirectory.export(
                  m,
                  ItemVocabulary.of(
                      IntStream.rangeClosed(1, 13).mapToObj(i -> "item-" + i).toList()),
                  Map.of(),
                  Map.of(),
                  dir));
      ModelDirectory.export(m, vocab(), Map.of(), Map.of(), dir);
      before = m.scoreAll(INPUTS);
    }
    try (ModelDirectory.Loaded loaded = ModelDirectory.load(dir)) {
      assertEquals(12, loaded.manifest().config().numItems());
      assertEquals(9, loaded.manifest().itemIds().size());
      assertEquals(9, loaded.model().assignedItems());
      assertArrayEquals(before, loaded.model().scoreAll(INPUTS));
      for (int i = 10; i <= 12; i++) assertTrue(before[i] < -5e8f, "spare column " + i + " masked");
      Recommendations all =
          loaded.model().recommend(List.of(RecommendRequest.of(INPUTS.get(0))), 12).get(0);
      assertEquals(9, all.size());
      assertEquals(12, loaded.items().capacity());
      assertEquals(10, loaded.items().add("new-a"));
      assertEquals(11, loaded.items().add("new-b"));
      assertEquals(12, loaded.items().add("new-c"));
      assertThrows(IllegalStateException.class, () -> loaded.items().add("new-d"));
    }
  }
}
