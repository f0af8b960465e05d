package pulse.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pulse.model.SasRecModel;
import pulse.model.SequenceInput;
import pulse.model.TinyModels;
import pulse.model.data.LeaveOneOutSplit;

class RefitTest {

  /**
   * 40 users walking the cycle 1..8 for four steps, then item 9 (their validation item, never in a
   * training prefix), then a test item: only a refit can learn that 9 comes next.
   */
  private static int[][] cycles() {
    int[][] seqs = new int[40][];
    for (int u = 0; u < seqs.length; u++) {
      seqs[u] = new int[6];
      for (int t = 0; t < 4; t++) seqs[u][t] = 1 + (u + t) % 8;
      seqs[u][4] = 9;
      seqs[u][5] = 1 + u % 8;
    }
    return seqs;
  }

  @Test
  void refitTrainsOnTheValidationStepsAndReportsEachEpoch() {
    LeaveOneOutSplit split = LeaveOneOutSplit.of(cycles());
    int[][] withValidation = TransitionWeights.withoutTest(split);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (SasRecModel m = SasRecModel.create(TinyModels.config())) {
      Trainer t = trainer(m, log);
      List<SequenceInput> prefixes = new ArrayList<>();
      for (int u = 0; u < 8; u++) prefixes.add(SequenceInput.of(split.train()[u]));
      float before = validationScoreGap(m, split, prefixes);
      List<Integer> epochs = new ArrayList<>();
      int done = t.refit(withValidation, null, 30, Long.MAX_VALUE, epochs::add);
      assertEquals(30, done);
      assertEquals(30, epochs.size());
      assertEquals(1, epochs.get(0));
      float after = validationScoreGap(m, split, prefixes);
      assertTrue(
          after > before + 0.5f && after > 0,
          "item 9, seen only as a validation item, now scores above the others after a prefix: "
              + before
              + " -> "
              + after);
      assertTrue(log.toString(StandardCharsets.UTF_8).contains("refit epoch 30/30"));
    }
  }

  @Test
  void aPassedDeadlineStopsTheRefitInsideItsFirstEpoch() {
    LeaveOneOutSplit split = LeaveOneOutSplit.of(cycles());
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (SasRecModel m = SasRecModel.create(TinyModels.config())) {
      Trainer t = trainer(m, log);
      List<Integer> epochs = new ArrayList<>();
      int done =
          t.refit(
              TransitionWeights.withoutTest(split), null, 3, System.nanoTime() - 1, epochs::add);
      assertEquals(0, done);
      assertTrue(epochs.isEmpty());
      assertTrue(log.toString(StandardCharsets.UTF_8).contains("cut short"));
    }
  }

  private static Trainer trainer(SasRecModel m, ByteArrayOutputStream log) {
    return new Trainer(
        m, new TrainOptions(1, 0, 1, 0, 0, 1), new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  /** Mean over users of (validation item's score - mean score of the other items). */
  private static float validationScoreGap(
      SasRecModel m, LeaveOneOutSplit split, List<SequenceInput> prefixes) {
    float[] s = m.scoreAll(prefixes);
    int width = s.length / prefixes.size();
    float gap = 0;
    for (int u = 0; u < prefixes.size(); u++) {
      int target = split.valid()[u];
      float others = 0;
      for (int i = 1; i <= 9; i++) if (i != target) others += s[u * width + i];
      gap += s[u * width + target] - others / 8;
    }
    return gap / prefixes.size();
  }
}
