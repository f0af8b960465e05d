package pulse.model.eval;

import java.util.Arrays;
import java.util.List;
import pulse.model.SequenceInput;

/** Baseline: every user gets the items with the most training interactions. */
public record MostPopular(float[] counts) implements Scorer {

  public static MostPopular fit(int[][] trainSequences, int numItems) {
    float[] c = new float[numItems + 1];
    for (int[] s : trainSequences) {
      for (int i : s) c[i]++;
    }
    return new MostPopular(c);
  }

  @Override
  public String name() {
    return "most-popular";
  }

  @Override
  public float[] scoreAll(List<SequenceInput> histories) {
    int n = counts.length;
    float[] out = new float[histories.size() * n];
    for (int r = 0; r < histories.size(); r++) System.arraycopy(counts, 0, out, r * n, n);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MostPopular m && Arrays.equals(counts, m.counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts);
  }
}
