package pulse.model.delta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import pulse.model.Device;
import pulse.model.LossKind;
import pulse.model.ModelConfig;
import pulse.model.RecommendRequest;
import pulse.model.Recommendations;
import pulse.model.SasRecModel;
import pulse.model.SequenceInput;
import pulse.model.TinyModels;
import pulse.model.TrainingBatch;
import pulse.model.data.ItemVocabulary;

/** A tiny model with 9 items and 3 spare rows (numItems 12), and what the delta tests feed it. */
final class SpareModels {
  static final int ITEMS = 9;
  static final int CAPACITY = 12;

  static final List<SequenceInput> INPUTS =
      List.of(
          SequenceInput.of(1, 2, 3),
          SequenceInput.of(9, 4),
          SequenceInput.of(5, 6, 7, 8, 1, 2, 3),
          SequenceInput.of(2, 10),
          SequenceInput.of(10, 3, 10, 7));

  private SpareModels() {}

  static ModelConfig config() {
    return new ModelConfig(
        CAPACITY, 8, 2, 2, 6, 0.0, 0.01, 4, LossKind.BCE, 1, 0.75, 3L, 0, 0, 0, Device.CPU);
  }

  static ItemVocabulary vocab() {
    return ItemVocabulary.withCapacity(
        IntStream.rangeClosed(1, ITEMS).mapToObj(i -> "item-" + i).toList(), CAPACITY);
  }

  /**
   * A model with 9 assigned items after a few training steps (weights and Adam state not the
   * initial ones).
   */
  static SasRecModel trained() {
    SasRecModel m = SasRecModel.create(config());
    m.setAssignedItems(ITEMS);
    for (int i = 0; i < 3; i++) m.trainStep(TinyModels.batch(1));
    return m;
  }

  /**
   * Two users whose sequences contain item 10 (a new item once it is assigned); negatives from
   * 1..9.
   */
  static TrainingBatch batchWithItem10() {
    int[] items = {0, 0, 1, 2, 10, 4, /**/ 0, 0, 0, 5, 10, 6};
    int[] pos = {0, 0, 2, 10, 4, 5, /**/ 0, 0, 0, 10, 6, 7};
    int[] neg = {0, 0, 3, 7, 9, 1, /**/ 0, 0, 0, 8, 2, 4};
    return new TrainingBatch(2, 6, 1, items, pos, neg);
  }

  /** Recommendations with nothing excluded, k = every row, flattened as items then scores. */
  static List<Object> recommendations(SasRecModel m) {
    List<RecommendRequest> reqs = new ArrayList<>();
    for (SequenceInput s : INPUTS) reqs.add(RecommendRequest.of(s));
    List<Object> out = new ArrayList<>();
    for (Recommendations r : m.recommend(reqs, CAPACITY)) {
      out.add(r.items());
      out.add(r.scores());
    }
    return out;
  }

  static int[] range(int from, int to) {
    return IntStream.rangeClosed(from, to).toArray();
  }

  /** scoreAll and recommend (every row) bit-identical. */
  static void assertSameOutputs(SasRecModel expected, SasRecModel actual, String when) {
    assertArrayEquals(expected.scoreAll(INPUTS), actual.scoreAll(INPUTS), "scoreAll " + when);
    List<Object> e = recommendations(expected);
    List<Object> a = recommendations(actual);
    for (int i = 0; i < e.size(); i += 2) {
      assertArrayEquals((int[]) e.get(i), (int[]) a.get(i), "recommended items " + when);
      assertArrayEquals(
          (float[]) e.get(i + 1), (float[]) a.get(i + 1), "recommended scores " + when);
    }
  }
}
