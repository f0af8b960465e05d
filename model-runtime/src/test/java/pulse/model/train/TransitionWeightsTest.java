package pulse.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import pulse.model.SasRecModel;
import pulse.model.TinyModels;
import pulse.model.data.LeaveOneOutSplit;

class TransitionWeightsTest {

  /** 40 users walking the cycle 1..9 from different starts: the next item follows the last one. */
  private static int[][] cycles() {
    int[][] seqs = new int[40][];
    for (int u = 0; u < seqs.length; u++) {
      seqs[u] = new int[6];
      for (int t = 0; t < 6; t++) seqs[u][t] = 1 + (u + t) % 9;
    }
    return seqs;
  }

  @Test
  void anUntrainedEncoderOnSequentialDataGetsTheTransitions() {
    int[][] seqs = cycles();
    LeaveOneOutSplit split = LeaveOneOutSplit.of(seqs);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (SasRecModel m = SasRecModel.create(TinyModels.config())) {
      Trainer trainer = new Trainer(m, new TrainOptions(1, 0, 1, 0, 0, 1), new PrintStream(log));
      TransitionWeights.Choice c =
          TransitionWeights.choose(
              trainer,
              m,
              split,
              null,
              seqs,
              TransitionWeights.grid(TransitionWeights.WEIGHTS, TransitionWeights.DECAYS),
              new PrintStream(log, true, StandardCharsets.UTF_8));
      assertTrue(c.chosen().weight() > 0, log.toString(StandardCharsets.UTF_8));
      assertTrue(
          c.chosenFigures().fullNdcg10() > c.validation()[0].fullNdcg10(),
          "the chosen weight ranks the validation item better than the encoder alone");
      assertEquals(
          c.chosen().weight(),
          m.transitionBlend().weight(),
          "the model keeps the chosen weight's blend");
      // The final table counts the validation items too (everything but the test item): user 0's
      // validation item 5 follows 4 in it.
      int[] after4 = m.transitionBlend().transitions().neighbours(4);
      assertTrue(java.util.Arrays.stream(after4).anyMatch(i -> i == 5));
      assertTrue(
          log.toString(StandardCharsets.UTF_8).contains("chosen by validation full NDCG@10"));
    }
  }

  @Test
  void weightZeroLeavesTheEncoderAlone() {
    int[][] seqs = cycles();
    try (SasRecModel m = SasRecModel.create(TinyModels.config())) {
      Trainer trainer =
          new Trainer(
              m, new TrainOptions(1, 0, 1, 0, 0, 1), new PrintStream(new ByteArrayOutputStream()));
      TransitionWeights.Choice c =
          TransitionWeights.choose(
              trainer,
              m,
              LeaveOneOutSplit.of(seqs),
              null,
              seqs,
              List.of(new TransitionWeights.Candidate(0f, 0f)),
              new PrintStream(new ByteArrayOutputStream()));
      assertEquals(0f, c.chosen().weight());
      assertNull(m.transitionBlend());
    }
  }
}
