package pulse.engine.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import pulse.engine.feedback.FeedRecord;
import pulse.engine.feedback.FeedbackEvent;
import pulse.model.Device;
import pulse.model.LossKind;
import pulse.model.ModelConfig;
import pulse.model.Optimizer;
import pulse.model.RecommendRequest;
import pulse.model.SasRecModel;
import pulse.model.SequenceInput;
import pulse.model.data.ItemVocabulary;
import pulse.model.delta.Checkpoint;

/**
 * The learner's step on a real (tiny) TensorFlow model: a version per step that a replica
 * reproduces exactly from base + delta, a poisoned (NaN) update refused, a new item given a row and
 * made recommendable, and frozen mode scoring without learning.
 */
class LearnerCoreTest {
  private static final int KNOWN = 40;
  private static final int ROWS = 50;

  private static LearnerSettings settings(String mode, double lr) {
    return new LearnerSettings(
        true,
        mode,
        "feedback",
        4,
        "g",
        256,
        Duration.ofMillis(100),
        lr,
        Optimizer.ADAM,
        false,
        3,
        100,
        0.05,
        0.2,
        10_000,
        "test",
        new ExampleSettings(1000, 20, 5, 50, Duration.ZERO, Duration.ofHours(1), 64),
        1,
        50,
        50,
        5);
  }

  private static SasRecModel model() {
    SasRecModel m =
        SasRecModel.create(
            new ModelConfig(
                ROWS, 16, 1, 1, 10, 0.0, 0.001, 8, LossKind.BCE, 1, 0.75, 3, 0, 0, 0, Device.CPU),
            1);
    m.setAssignedItems(KNOWN);
    return m;
  }

  private static ItemVocabulary vocab() {
    return ItemVocabulary.withCapacity(
        IntStream.rangeClosed(1, KNOWN).mapToObj(i -> "i" + i).toList(), ROWS);
  }

  private static int offset;

  private static List<FeedRecord> clicks(String user, String... items) {
    List<FeedRecord> out = new ArrayList<>();
    long t = 1_700_000_000_000L + offset * 10_000L;
    for (String item : items) {
      offset++;
      out.add(
          new FeedRecord(
              0,
              offset,
              new FeedbackEvent(user, user + "-" + offset, item, "click", t += 1000),
              List.of("cat-" + item.charAt(1)),
              t));
    }
    return out;
  }

  private static List<FeedRecord> traffic() {
    List<FeedRecord> all = new ArrayList<>();
    for (int u = 0; u < 20; u++) {
      all.addAll(
          clicks(
              "u" + u,
              "i" + (1 + u % 10),
              "i" + (11 + u % 10),
              "i" + (21 + u % 10),
              "i" + (31 + u % 5)));
    }
    return all;
  }

  @Test
  void aReplicaAtTheBaseApplyingTheDeltasScoresExactlyAsTheLearner() {
    SasRecModel trainer = model();
    ItemVocabulary items = vocab();
    byte[] base = Checkpoint.toBytes(trainer, items, "v0");
    LearnerCore core = new LearnerCore(settings("on", 0.01), trainer, items, "v0", 1, Map.of(), 7);
    try (Checkpoint.Loaded replica = Checkpoint.fromBytes(base, 1, Device.CPU)) {
      for (int step = 0; step < 3; step++) {
        LearnerCore.NewVersion v =
            assertInstanceOf(LearnerCore.NewVersion.class, core.step(traffic()));
        assertEquals(step == 0 ? "v0" : "v0.u" + (1 + step), v.baseVersion());
        v.delta().applyTo(replica.model(), replica.items());
        assertEquals(2 + step, v.seq());
        assertTrue(v.offsets().get(0) > 0, "the version covers the records' offsets");
      }
      List<SequenceInput> probes = List.of(SequenceInput.of(1, 11, 21), SequenceInput.of(5, 6));
      assertArrayEquals(core.model().scoreAll(probes), replica.model().scoreAll(probes));
    }
  }

  private static LearnerSettings histories(int kept, int learned) {
    return new LearnerSettings(
        true,
        "on",
        "feedback",
        4,
        "g",
        256,
        Duration.ofMillis(100),
        0.01,
        Optimizer.SGD,
        false,
        3,
        100,
        0.05,
        0.2,
        10_000,
        "test",
        new ExampleSettings(1000, kept, 5, 50, Duration.ZERO, Duration.ofHours(1), 64),
        1,
        learned,
        50,
        5);
  }

  private static byte[] firstDelta(LearnerSettings settings, List<FeedRecord> records) {
    LearnerCore core = new LearnerCore(settings, model(), vocab(), "v0", 1, Map.of(), 7);
    byte[] delta =
        assertInstanceOf(LearnerCore.NewVersion.class, core.step(records)).delta().toBytes();
    core.close();
    return delta;
  }

  @Test
  void anUpdateStepSeesTheNewestUpdateHistoryItemsOfEachHistory() {
    List<FeedRecord> records =
        traffic(); // four clicks per user: the last example has a 3-item history
    byte[] cut = firstDelta(histories(20, 2), records);
    assertArrayEquals(
        firstDelta(histories(2, 50), records),
        cut,
        "learning from the newest 2 of 3 items is learning from 2-item histories");
    assertFalse(
        Arrays.equals(firstDelta(histories(20, 50), records), cut),
        "with the third item the step is another");
  }

  private static LearnerSettings rated(double lr, int examples) {
    return new LearnerSettings(
        true,
        "on",
        "feedback",
        4,
        "g",
        256,
        Duration.ofMillis(100),
        lr,
        Optimizer.SGD,
        false,
        3,
        100,
        0.05,
        0.2,
        10_000,
        "test",
        new ExampleSettings(1000, 20, 5, 50, Duration.ZERO, Duration.ofHours(1), 64),
        1,
        50,
        examples,
        5);
  }

  @Test
  void aStepsRateGrowsWithItsExamplesSoEachExampleMovesTheModelAlike() {
    assertEquals(0.01, rated(0.01, 50).stepLearningRate(50), 1e-12);
    assertEquals(0.0002, rated(0.01, 50).stepLearningRate(1), 1e-12);
    assertEquals(0.02, rated(0.01, 50).stepLearningRate(100), 1e-12);
    List<FeedRecord> records = traffic(); // 60 examples
    assertArrayEquals(
        firstDelta(rated(0.01, 60), records),
        firstDelta(rated(0.005, 30), records),
        "0.01 for 60 examples and 0.005 for 30 are one rate for a 60-example step");
    assertFalse(
        Arrays.equals(firstDelta(rated(0.01, 60), records), firstDelta(rated(0.01, 30), records)));
  }

  @Test
  void aPoisonedUpdateIsRejected() {
    LearnerCore core =
        new LearnerCore(settings("on", Double.NaN), model(), vocab(), "v0", 1, Map.of(), 7);
    LearnerCore.Rejected r = assertInstanceOf(LearnerCore.Rejected.class, core.step(traffic()));
    assertTrue(r.reason().contains("NaN"), r.reason());
    assertEquals("v0", core.version(), "a rejected step makes no version");
  }

  @Test
  void aNewItemGetsARowAndBecomesRecommendable() {
    SasRecModel trainer = model();
    ItemVocabulary items = vocab();
    byte[] base = Checkpoint.toBytes(trainer, items, "v0");
    LearnerCore core = new LearnerCore(settings("on", 0.01), trainer, items, "v0", 1, Map.of(), 7);
    List<FeedRecord> records = new ArrayList<>(traffic());
    records.addAll(clicks("newbie", "i3", "i4", "fresh"));
    LearnerCore.NewVersion v = assertInstanceOf(LearnerCore.NewVersion.class, core.step(records));
    assertEquals(List.of("fresh"), v.delta().newItemIds());
    try (Checkpoint.Loaded replica = Checkpoint.fromBytes(base, 1, Device.CPU)) {
      v.delta().applyTo(replica.model(), replica.items());
      int fresh = replica.items().indexOf("fresh");
      assertEquals(KNOWN + 1, fresh);
      var top =
          replica
              .model()
              .recommend(
                  List.of(
                      new RecommendRequest(SequenceInput.of(3, 4), new int[0], new int[] {fresh})),
                  5)
              .get(0);
      assertArrayEquals(new int[] {fresh}, top.items(), "the new item can be recommended");
    }
  }

  @Test
  void frozenModeScoresEveryExampleButLearnsNothing() {
    SasRecModel m = model();
    List<SequenceInput> probe = List.of(SequenceInput.of(1, 2, 3));
    float[] before = m.scoreAll(probe);
    LearnerCore core = new LearnerCore(settings("frozen", 0.01), m, vocab(), "v0", 1, Map.of(), 7);
    assertInstanceOf(LearnerCore.Idle.class, core.step(traffic()));
    assertEquals(60, core.window().examples(), "20 users x 3 next-item examples scored");
    assertArrayEquals(before, m.scoreAll(probe));
  }

  @Test
  void warmingUpChangesNothingTheLearnerThenDoes() {
    SasRecModel warmed = model();
    var before = warmed.snapshot();
    LearnerCore core = new LearnerCore(settings("on", 0.01), warmed, vocab(), "v0", 1, Map.of(), 7);
    core.warmUp(8);
    var after = warmed.snapshot();
    assertEquals(before.keySet(), after.keySet());
    before.forEach(
        (name, value) ->
            assertArrayEquals(
                value.values(),
                after.get(name).values(),
                name + " (weights and optimiser state) is back as it was"));
    LearnerCore cold =
        new LearnerCore(settings("on", 0.01), model(), vocab(), "v0", 1, Map.of(), 7);
    List<FeedRecord> records = traffic();
    var a = assertInstanceOf(LearnerCore.NewVersion.class, core.step(records));
    var b = assertInstanceOf(LearnerCore.NewVersion.class, cold.step(records));
    assertArrayEquals(
        b.delta().toBytes(),
        a.delta().toBytes(),
        "the first version is the same with or without it");
  }

  /**
   * SGD at 0 keeps the model as it is; a huge Adam rate wrecks it. Guardrail: 20% relative, no
   * absolute bound.
   */
  private static LearnerSettings guarded(Optimizer optimizer, double lr) {
    return new LearnerSettings(
        true,
        "on",
        "feedback",
        4,
        "g",
        256,
        Duration.ofMillis(100),
        lr,
        optimizer,
        false,
        1000,
        200,
        1.0,
        0.2,
        20,
        "test",
        new ExampleSettings(1000, 20, 5, 50, Duration.ZERO, Duration.ofHours(1), 64),
        1,
        50,
        50,
        5);
  }

  /**
   * Users who click a, b, then the model's own first choice after [a, b] (easy) or its last (hard).
   */
  private static List<FeedRecord> ranked(SasRecModel m, String prefix, boolean easy) {
    List<FeedRecord> out = new ArrayList<>();
    for (int u = 0; u < 40; u++) {
      int a = 1 + u % KNOWN;
      int b = 1 + (u * 7 + 3) % KNOWN;
      if (a == b) {
        continue;
      }
      int[] order =
          m.recommend(
                  List.of(new RecommendRequest(SequenceInput.of(a, b), new int[] {a, b}, null)),
                  KNOWN - 2)
              .get(0)
              .items();
      int next = easy ? order[0] : order[order.length - 1];
      out.addAll(clicks(prefix + u, "i" + a, "i" + b, "i" + next));
    }
    return out;
  }

  @Test
  void theGuardrailComparesModelsOnTheSameExamplesNotWindowsOfDifferentOnes() {
    SasRecModel m = model();
    LearnerCore same =
        new LearnerCore(guarded(Optimizer.SGD, 0.0), m, vocab(), "v0", 1, Map.of(), 7);
    assertInstanceOf(LearnerCore.NewVersion.class, same.step(ranked(m, "easy", true)));
    // Harder examples drop NDCG@10 far more than 20%, for the last good version as much as for this
    // one: kept.
    assertInstanceOf(LearnerCore.NewVersion.class, same.step(ranked(m, "hard", false)));
    WindowMetrics[] paired = same.guardrailWindows();
    assertEquals(
        paired[0], paired[1], "an unchanged model scores exactly as the last good version");
    same.close();

    SasRecModel w = model();
    LearnerCore wrecked =
        new LearnerCore(guarded(Optimizer.ADAM, 0.5), w, vocab(), "v0", 1, Map.of(), 7);
    List<FeedRecord> easy = ranked(w, "easy", true);
    assertInstanceOf(
        LearnerCore.NewVersion.class,
        wrecked.step(easy.subList(0, easy.size() / 2)),
        "the first step is scored before it moves anything");
    var rejected =
        assertInstanceOf(
            LearnerCore.Rejected.class, wrecked.step(easy.subList(easy.size() / 2, easy.size())));
    assertTrue(rejected.reason().contains("below the previous good version"), rejected.reason());
    wrecked.close();
  }
}
