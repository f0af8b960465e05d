package pulse.model.eval;

import java.util.List;
import pulse.model.ItemTransitions;
import pulse.model.SequenceInput;

/**
 * Baseline: item-to-item co-occurrence on the user's last item. An item's score is its weight in
 * the last item's row of {@link ItemTransitions} (how often it followed or preceded the last item
 * within a small window in the training sequences, nearer = more weight), plus a tiny popularity
 * term that only breaks ties.
 */
public final class LastItemCooccurrence implements Scorer {
  private final ItemTransitions transitions;
  private final float[] popularityTieBreak;

  private LastItemCooccurrence(ItemTransitions transitions, float[] popularityTieBreak) {
    this.transitions = transitions;
    this.popularityTieBreak = popularityTieBreak;
  }

  public static LastItemCooccurrence fit(int[][] trainSequences, int numItems) {
    float[] pop = new float[numItems + 1];
    float maxPop = 1;
    for (int[] s : trainSequences) {
      for (int item : s) {
        pop[item]++;
        maxPop = Math.max(maxPop, pop[item]);
      }
    }
    for (int i = 0; i < pop.length; i++) pop[i] = pop[i] / maxPop * 1e-3f;
    return new LastItemCooccurrence(ItemTransitions.fit(trainSequences, numItems), pop);
  }

  @Override
  public String name() {
    return "last-item-cooccurrence";
  }

  @Override
  public float[] scoreAll(List<SequenceInput> histories) {
    int n = popularityTieBreak.length;
    float[] out = new float[histories.size() * n];
    for (int r = 0; r < histories.size(); r++) {
      System.arraycopy(popularityTieBreak, 0, out, r * n, n);
      int[] h = histories.get(r).items();
      if (h.length == 0) continue;
      int last = h[h.length - 1];
      int[] items = transitions.neighbours(last);
      float[] w = transitions.weights(last);
      for (int k = 0; k < items.length; k++) out[r * n + items[k]] += w[k];
    }
    return out;
  }
}
