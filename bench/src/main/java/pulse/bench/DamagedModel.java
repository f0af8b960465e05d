package pulse.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import pulse.model.DenseTensor;
import pulse.model.EncoderGraph;
import pulse.model.SasRecModel;
import pulse.model.data.ItemVocabulary;
import pulse.model.export.Manifest;
import pulse.model.export.ModelDirectory;
import pulse.model.export.ModelLoadException;

/**
 * The A/B bench's canary: a copy of a model that serves exactly like it (same config, vocabulary,
 * shapes and latency, no errors) but ranks nonsense, so a bench that cannot tell it from the real
 * model is shown to be blind. Its item embeddings are permuted among the catalogue's items: every
 * item gets another item's row, so the encoder still sees plausible vectors, just attached to the
 * wrong items. The item table is tied (inputs and scoring), so both sides are scrambled alike. The
 * padding row 0 and the spare rows (no item yet) keep their values.
 *
 * <p>Each row's Adam moments move with it, so a learner updating the canary online steps each row
 * as the source model would have. The transition blend is dropped: its item-to-item bonus is added
 * to the scores outside the embeddings and would keep the canary decent.
 */
final class DamagedModel {
  private DamagedModel() {}

  /**
   * Writes the damaged copy of the model directory {@code source} to {@code target}; the same seed
   * gives the same permutation.
   *
   * @return the new manifest (a new model version; metrics gain a "damaged" entry saying how)
   */
  static Manifest shuffledItemEmbeddings(Path source, Path target, long seed)
      throws IOException, ModelLoadException {
    try (ModelDirectory.Loaded loaded = ModelDirectory.load(source)) {
      SasRecModel model = loaded.model();
      ItemVocabulary items = loaded.items();
      List<Integer> rows = new ArrayList<>();
      for (String id : items.externalIds()) {
        rows.add(items.indexOf(id)); // 1..size: row 0 is padding, the rows above are spare
      }
      List<Integer> from = new ArrayList<>(rows);
      Collections.shuffle(from, new Random(seed));
      String table = EncoderGraph.ITEM_EMBEDDING;
      List<String> names = model.variableNames(true);
      for (String name : List.of(table, table + "_adam_m", table + "_adam_v")) {
        if (names.contains(name)) {
          model.writeVariable(name, permuted(model.readVariable(name), rows, from));
        }
      }
      model.setTransitionBlend(null); // export then writes no transitions.bin
      Map<String, Object> metrics = new LinkedHashMap<>(loaded.manifest().metrics());
      metrics.put(
          "damaged",
          "item embeddings shuffled among the catalogue's items (seed "
              + seed
              + "), transitions dropped; a bench's deliberately bad canary");
      return ModelDirectory.export(model, items, loaded.manifest().data(), metrics, target);
    }
  }

  /** A copy of a [rows, d] table whose row {@code rows[i]} holds the old row {@code from[i]}. */
  private static DenseTensor permuted(DenseTensor t, List<Integer> rows, List<Integer> from) {
    int d = t.rowWidth();
    float[] out = t.values().clone();
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(t.values(), from.get(i) * d, out, rows.get(i) * d, d);
    }
    return new DenseTensor(t.shape(), out);
  }
}
