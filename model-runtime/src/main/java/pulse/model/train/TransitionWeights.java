package pulse.model.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pulse.model.ItemTransitions;
import pulse.model.SasRecModel;
import pulse.model.TransitionBlend;
import pulse.model.data.LeaveOneOutSplit;
import pulse.model.eval.EvalFigures;
import pulse.model.eval.Scorer;

/**
 * Chooses how much of the recent items' transitions ({@link TransitionBlend}) the trained model
 * adds to its scores: each candidate (weight, decay) is ranked on the validation users (transitions
 * counted on the training sequences only, so the validation item is never among them) and the best
 * full-ranking NDCG@10 wins (ties: the earlier candidate, smaller weights first). The model then
 * gets the chosen blend over the transitions of everything but the test items (training sequences
 * plus validation items), the same history the co-occurrence baseline is fitted on.
 */
public final class TransitionWeights {
  /** The weights tried by default: 0 (the encoder alone) and a doubling ladder. */
  public static final float[] WEIGHTS = {0f, 0.5f, 1f, 2f, 4f, 8f};

  /** The decays tried by default: the last item alone (0) up to the last three alike (1). */
  public static final float[] DECAYS = {0f, 0.5f, 0.75f, 1f};

  /** One candidate blend's settings. */
  public record Candidate(float weight, float decay) {}

  /** The candidate chosen and the validation figures of every candidate, in order. */
  public record Choice(Candidate chosen, List<Candidate> candidates, EvalFigures[] validation) {
    public EvalFigures chosenFigures() {
      return validation[candidates.indexOf(chosen)];
    }

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("weight", chosen.weight());
      m.put("decay", chosen.decay());
      m.put("lastItems", TransitionBlend.LAST_ITEMS);
      List<Map<String, Object>> tried = new ArrayList<>();
      for (int i = 0; i < candidates.size(); i++) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("weight", candidates.get(i).weight());
        row.put("decay", candidates.get(i).decay());
        row.putAll(validation[i].toMap());
        tried.add(row);
      }
      m.put("validation", tried);
      return m;
    }
  }

  private TransitionWeights() {}

  /** Every (weight, decay) pair, weight 0 once (its decay does not matter). */
  public static List<Candidate> grid(float[] weights, float[] decays) {
    List<Candidate> out = new ArrayList<>();
    for (float w : weights) {
      if (w == 0f) {
        out.add(new Candidate(0f, 0f));
        continue;
      }
      for (float d : decays) out.add(new Candidate(w, d));
    }
    return out;
  }

  public static Choice choose(
      Trainer trainer,
      SasRecModel model,
      LeaveOneOutSplit split,
      LeaveOneOutSplit gapSplit,
      int[][] fullSequences,
      List<Candidate> candidates,
      PrintStream log) {
    int items = model.assignedItems();
    ItemTransitions fromTraining = ItemTransitions.fit(split.train(), items);
    TransitionBlend[] blends = new TransitionBlend[candidates.size()];
    for (int i = 0; i < blends.length; i++) {
      Candidate c = candidates.get(i);
      blends[i] = new TransitionBlend(fromTraining, c.weight(), c.decay());
    }
    model.setTransitionBlend(null);
    long t0 = System.nanoTime();
    EvalFigures[] figures =
        trainer
            .validationEvaluator(split, gapSplit, fullSequences, items)
            .evaluateBlends(new Scorer.Model("model", model), blends);
    int best = 0;
    for (int i = 0; i < blends.length; i++) {
      log.printf(
          Locale.ROOT,
          "transitions weight %-4s decay %-4s  validation sampled HR@10 %.4f NDCG@10 %.4f, full"
              + " HR@10 %.4f NDCG@10 %.4f%n",
          candidates.get(i).weight(),
          candidates.get(i).decay(),
          figures[i].sampledHr10(),
          figures[i].sampledNdcg10(),
          figures[i].fullHr10(),
          figures[i].fullNdcg10());
      if (figures[i].fullNdcg10() > figures[best].fullNdcg10()) best = i;
    }
    Candidate chosen = candidates.get(best);
    log.printf(
        Locale.ROOT,
        "transitions weight %s decay %s chosen by validation full NDCG@10 (%d candidates in %.0f"
            + " s)%n",
        chosen.weight(),
        chosen.decay(),
        blends.length,
        (System.nanoTime() - t0) / 1e9);
    model.setTransitionBlend(
        chosen.weight() == 0f
            ? null
            : new TransitionBlend(
                ItemTransitions.fit(withoutTest(split), items), chosen.weight(), chosen.decay()));
    return new Choice(chosen, List.copyOf(candidates), figures);
  }

  /** Each user's sequence without the test item: training prefix plus validation item. */
  public static int[][] withoutTest(LeaveOneOutSplit split) {
    int[][] seen = new int[split.users()][];
    for (int u = 0; u < seen.length; u++)
      seen[u] = split.evaluable(u) ? split.testInput(u) : split.train()[u];
    return seen;
  }
}
