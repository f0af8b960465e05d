package pulse.engine.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import pulse.engine.feedback.FeedRecord;
import pulse.engine.feedback.FeedbackEvent;
import pulse.model.ModelConfig;
import pulse.model.Optimizer;
import pulse.model.SasRecModel;
import pulse.model.SequenceInput;
import pulse.model.data.ItemVocabulary;

/** Test-then-train on a small untrained model: what "on" and "frozen" do with the same records. */
class LearnerCoreModesTest {
  private static final int ITEMS = 20;
  private static final List<SequenceInput> PROBE =
      List.of(SequenceInput.of(1, 2, 3), SequenceInput.of(7, 5));

  private static LearnerSettings settings(String mode, int window) {
    return new LearnerSettings(
        true,
        mode,
        "feedback",
        1,
        "g",
        256,
        Duration.ofMillis(200),
        0.01,
        Optimizer.ADAM,
        false,
        50,
        window,
        0.05,
        0.2,
        1_000_000,
        "test",
        ExampleSettings.defaults(),
        1,
        50,
        50,
        5);
  }

  /**
   * Users u0..u3 rate 6 items each: 4 x 5 = 20 examples, every one with a history and a known item.
   */
  private static List<FeedRecord> records() {
    List<FeedRecord> out = new ArrayList<>();
    long offset = 0;
    for (int u = 0; u < 4; u++) {
      for (int i = 0; i < 6; i++) {
        String item = "i" + (1 + (u * 3 + i) % ITEMS);
        out.add(
            new FeedRecord(
                0,
                offset,
                new FeedbackEvent("u" + u, "e" + offset, item, "rating", 1_000 + offset),
                List.of(),
                1_000 + offset));
        offset++;
      }
    }
    return out;
  }

  /** 24 rows, 20 of them items and 4 spare, as a model loaded from a folder with spare rows. */
  private static SasRecModel model() {
    SasRecModel m = SasRecModel.create(ModelConfig.sasrecDefaults(ITEMS + 4).withMaxLen(8), 1);
    m.setAssignedItems(ITEMS);
    return m;
  }

  private static ItemVocabulary vocab() {
    return ItemVocabulary.withCapacity(
        IntStream.rangeClosed(1, ITEMS).mapToObj(i -> "i" + i).toList(), ITEMS + 4);
  }

  @Test
  void frozenScoresEveryExampleButMakesNoVersionAndChangesNoWeight() {
    try (SasRecModel m = model()) {
      LearnerCore core = new LearnerCore(settings("frozen", 8), m, vocab(), "v0", 1, Map.of(), 1);
      float[] before = m.scoreAll(PROBE);
      LearnerCore.Step step = core.step(records());
      assertInstanceOf(LearnerCore.Idle.class, step);
      assertEquals("v0", core.version());
      assertEquals(1, core.seq());
      assertArrayEquals(before, m.scoreAll(PROBE), "a frozen learner must not move the model");
      assertEquals(20, core.examplesSeen());
      assertEquals(8, core.window().examples(), "the window keeps its last 8");
      assertEquals(20, core.cumulative().examples(), "the totals keep every scored example");
      assertEquals(Map.of(0, 24L), core.offsets());
    }
  }

  @Test
  void frozenLeavesANewItemUnknownAndCountsItAsAMissWhileLearningAddsIt() {
    List<FeedRecord> records = new ArrayList<>();
    String[] items = {"i1", "i2", "fresh", "i3"};
    for (int i = 0; i < items.length; i++) {
      records.add(
          new FeedRecord(
              0, i, new FeedbackEvent("u", "e" + i, items[i], "rating", i), List.of("drama"), i));
    }
    try (SasRecModel frozenModel = model();
        SasRecModel learningModel = model()) {
      ItemVocabulary frozenItems = vocab();
      ItemVocabulary learningItems = vocab();
      LearnerCore frozen =
          new LearnerCore(settings("frozen", 100), frozenModel, frozenItems, "v0", 1, Map.of(), 1);
      LearnerCore on =
          new LearnerCore(settings("on", 100), learningModel, learningItems, "v0", 1, Map.of(), 1);
      frozen.step(records);
      on.step(records);
      assertEquals(-1, frozenItems.indexOf("fresh"), "a frozen model stays as loaded");
      assertEquals(ITEMS, frozenModel.assignedItems());
      assertEquals(
          ITEMS + 1, learningItems.indexOf("fresh"), "learning gives the new item a spare row");
      // 3 examples (i2, fresh, i3), all scored; "fresh" as a positive is a miss for the frozen
      // model.
      assertEquals(3, frozen.cumulative().examples());
      assertEquals(3, on.cumulative().examples());
    }
  }

  @Test
  void onScoresFirstThenLearnsIntoANewVersion() {
    try (SasRecModel frozenModel = model();
        SasRecModel learningModel = model()) {
      LearnerCore frozen =
          new LearnerCore(settings("frozen", 100), frozenModel, vocab(), "v0", 1, Map.of(), 1);
      LearnerCore on =
          new LearnerCore(settings("on", 100), learningModel, vocab(), "v0", 1, Map.of(), 1);
      float[] before = learningModel.scoreAll(PROBE);
      frozen.step(records());
      LearnerCore.Step step = on.step(records());
      LearnerCore.NewVersion v = assertInstanceOf(LearnerCore.NewVersion.class, step);
      assertEquals("v0.u2", v.version());
      assertEquals(20, v.examples());
      // Test-then-train: both scored the same examples with the same (untouched) weights.
      assertEquals(frozen.cumulative(), on.cumulative());
      assertEquals(
          on.window(), on.cumulative(), "a window larger than the stream equals the totals");
      assertNotEquals(before[1], learningModel.scoreAll(PROBE)[1], "the learning model moved");
    }
  }
}
