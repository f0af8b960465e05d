package pulse.model.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import pulse.model.SequenceInput;
import pulse.model.TransitionBlend;
import pulse.model.data.LeaveOneOutSplit;
import pulse.model.train.NegativeSampler;

/**
 * Leave-one-out evaluation, SASRec protocol: for each evaluated user, rank the held-out item
 * against 100 items sampled uniformly from those the user never touched, and against the whole
 * catalogue minus the user's history. The candidate samples are drawn once per evaluator (seeded)
 * so every scorer sees the same ones.
 */
public final class Evaluator {
  public static final int SAMPLED_NEGATIVES = 100;
  public static final int CUTOFF = 10;
  private static final int BATCH = 256;

  /** Which held-out item is the target. */
  public enum Target {
    VALIDATION,
    TEST
  }

  private final int numItems;
  private final List<SequenceInput> histories = new ArrayList<>();
  private final int[] targets;
  private final int[][] seenSorted;
  private final int[][] candidates;

  /**
   * @param numItems the items ranked (1..numItems): a model's assigned items, not its spare rows
   * @param users the users to evaluate (must be evaluable in the split); e.g. all, or a seeded
   *     sample
   */
  public Evaluator(
      LeaveOneOutSplit split,
      int[][] fullSequences,
      int numItems,
      Target target,
      int[] users,
      long seed) {
    this(split, null, fullSequences, numItems, target, users, seed);
  }

  /**
   * @param gapSplit the same split applied to the users' gap buckets (null when the model has no
   *     gap input)
   */
  public Evaluator(
      LeaveOneOutSplit split,
      LeaveOneOutSplit gapSplit,
      int[][] fullSequences,
      int numItems,
      Target target,
      int[] users,
      long seed) {
    this.numItems = numItems;
    this.targets = new int[users.length];
    this.seenSorted = new int[users.length][];
    this.candidates = new int[users.length][];
    NegativeSampler sampler = new NegativeSampler(numItems, seed);
    for (int i = 0; i < users.length; i++) {
      int u = users[i];
      int[] history = target == Target.TEST ? split.testInput(u) : split.train()[u];
      int[] gaps =
          gapSplit == null
              ? null
              : target == Target.TEST ? gapSplit.testInput(u) : gapSplit.train()[u];
      histories.add(new SequenceInput(history, null, gaps, null));
      targets[i] = target == Target.TEST ? split.test()[u] : split.valid()[u];
      seenSorted[i] = NegativeSampler.sortedDistinct(history);
      int[] rated = NegativeSampler.sortedDistinct(fullSequences[u]);
      int[] c = new int[SAMPLED_NEGATIVES];
      for (int j = 0; j < c.length; j++) c[j] = sampler.sample(rated);
      candidates[i] = c;
    }
  }

  /**
   * Every evaluable user, or a seeded random sample of at most {@code max} of them (max <= 0: all).
   */
  public static int[] evaluableUsers(LeaveOneOutSplit split, int max, long seed) {
    List<Integer> us = new ArrayList<>();
    for (int u = 0; u < split.users(); u++) {
      if (split.evaluable(u)) us.add(u);
    }
    if (max > 0 && us.size() > max) {
      Collections.shuffle(us, new Random(seed));
      us = us.subList(0, max);
      us.sort(null);
    }
    return us.stream().mapToInt(Integer::intValue).toArray();
  }

  public int users() {
    return targets.length;
  }

  public EvalFigures evaluate(Scorer scorer) {
    return evaluateBlends(scorer, new TransitionBlend[] {null})[0];
  }

  /**
   * The figures of {@code scorer} with each blend's bonuses added (a null blend: the scorer alone),
   * scoring every batch once: choosing a blend weight costs one scoring pass, not one per weight.
   */
  public EvalFigures[] evaluateBlends(Scorer scorer, TransitionBlend[] blends) {
    Sums[] sums = new Sums[blends.length];
    for (int b = 0; b < blends.length; b++) sums[b] = new Sums();
    for (int from = 0; from < targets.length; from += BATCH) {
      int to = Math.min(targets.length, from + BATCH);
      List<SequenceInput> batch = histories.subList(from, to);
      float[] base = scorer.scoreAll(batch);
      for (int b = 0; b < blends.length; b++) {
        float[] scores = base;
        if (blends[b] != null) {
          scores = base.clone();
          blends[b].addTo(scores, batch);
        }
        sums[b].add(scorer.name(), scores, from, to);
      }
    }
    EvalFigures[] out = new EvalFigures[blends.length];
    for (int b = 0; b < blends.length; b++) out[b] = sums[b].figures();
    return out;
  }

  /** Running sums of the four figures over the users ranked so far. */
  private final class Sums {
    double hrS;
    double ndS;
    double hrF;
    double ndF;

    void add(String scorerName, float[] scores, int from, int to) {
      // Row width from the scorer: a model with spare rows scores more columns than numItems + 1.
      int n = scores.length / (to - from);
      if (n < numItems + 1) {
        throw new IllegalStateException(
            scorerName + " scored " + n + " columns, fewer than " + (numItems + 1));
      }
      for (int i = from; i < to; i++) {
        int off = (i - from) * n;
        int rs = RankingMetrics.sampledRank(scores, off, targets[i], candidates[i]);
        int rf = RankingMetrics.fullRank(scores, off, numItems, targets[i], seenSorted[i]);
        hrS += RankingMetrics.hitRate(rs, CUTOFF);
        ndS += RankingMetrics.ndcg(rs, CUTOFF);
        hrF += RankingMetrics.hitRate(rf, CUTOFF);
        ndF += RankingMetrics.ndcg(rf, CUTOFF);
      }
    }

    EvalFigures figures() {
      int u = Math.max(1, targets.length);
      return new EvalFigures(hrS / u, ndS / u, hrF / u, ndF / u, targets.length);
    }
  }

  public Map<String, EvalFigures> evaluateAll(List<Scorer> scorers) {
    Map<String, EvalFigures> out = new LinkedHashMap<>();
    for (Scorer s : scorers) out.put(s.name(), evaluate(s));
    return out;
  }
}
