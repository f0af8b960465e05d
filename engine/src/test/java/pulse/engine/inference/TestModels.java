package pulse.engine.inference;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import pulse.model.Device;
import pulse.model.LossKind;
import pulse.model.ModelConfig;
import pulse.model.SasRecModel;
import pulse.model.data.ItemVocabulary;
import pulse.model.export.ModelDirectory;

/**
 * Small exported models (random weights, seeded) for the pool's tests: real TensorFlow,
 * milliseconds a call.
 */
final class TestModels {
  private TestModels() {}

  static final int ITEMS = 40;

  static String itemId(int index) {
    return "item-" + index;
  }

  /** Exports an untrained model with seed {@code seed} into {@code dir} and returns the folder. */
  static Path export(Path dir, long seed) throws Exception {
    ModelConfig config =
        new ModelConfig(
            ITEMS, 16, 1, 1, 10, 0.0, 0.001, 8, LossKind.BCE, 1, 0.75, seed, 0, 0, 0, Device.CPU);
    ItemVocabulary vocab =
        ItemVocabulary.of(IntStream.rangeClosed(1, ITEMS).mapToObj(TestModels::itemId).toList());
    try (SasRecModel m = SasRecModel.create(config, 1)) {
      ModelDirectory.export(m, vocab, Map.of("source", "test"), Map.of(), dir);
    }
    return dir;
  }

  static List<String> ids(int... indices) {
    return IntStream.of(indices).mapToObj(TestModels::itemId).toList();
  }
}
