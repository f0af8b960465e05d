package pulse.model.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pulse.model.SequenceInput;

/**
 * Baseline: item-to-item co-occurrence on the user's last item. An item's score is how often it
 * followed the last item within a small window in the training sequences (both directions count,
 * nearer = more weight), plus a tiny popularity term that only breaks ties.
 */
public final class LastItemCooccurrence implements Scorer {
  static final int WINDOW = 3;
  private final Map<Integer, Map<Integer, Float>> neighbours;
  private final float[] popularityTieBreak;

  private LastItemCooccurrence(
      Map<Integer, Map<Integer, Float>> neighbours, float[] popularityTieBreak) {
    this.neighbours = neighbours;
    this.popularityTieBreak = popularityTieBreak;
  }

  public static LastItemCooccurrence fit(int[][] trainSequences, int numItems) {
    Map<Integer, Map<Integer, Float>> nb = new HashMap<>();
    float[] pop = new float[numItems + 1];
    float maxPop = 1;
    for (int[] s : trainSequences) {
      for (int i = 0; i < s.length; i++) {
        pop[s[i]]++;
        maxPop = Math.max(maxPop, pop[s[i]]);
        for (int j = i + 1; j < Math.min(s.length, i + 1 + WINDOW); j++) {
          float w = 1f / (j - i);
          nb.computeIfAbsent(s[i], x -> new HashMap<>()).merge(s[j], w, Float::sum);
          nb.computeIfAbsent(s[j], x -> new HashMap<>()).merge(s[i], w * 0.5f, Float::sum);
        }
      }
    }
    for (int i = 0; i < pop.length; i++) pop[i] = pop[i] / maxPop * 1e-3f;
    return new LastItemCooccurrence(nb, pop);
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
      Map<Integer, Float> row = neighbours.get(h[h.length - 1]);
      if (row == null) continue;
      for (var e : row.entrySet()) out[r * n + e.getKey()] += e.getValue();
    }
    return out;
  }
}
