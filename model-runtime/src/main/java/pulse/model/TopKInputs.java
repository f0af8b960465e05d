package pulse.model;

import java.util.Arrays;
import java.util.List;

/**
 * What {@link SasRecModel#recommend} feeds the graph's top-K besides the histories: the (row, item)
 * pairs each request excludes and, for requests with an allowed set, the pairs it allows. Built
 * once per batch on the inference thread, so it stays plain arrays (the micro-benchmark {@code
 * TopKInputsBench} measures it).
 *
 * @param excludePairs row-major [n, 2] (row, item), items outside 0..numItems dropped
 * @param allowPairs row-major [m, 2] (row, item), items outside 1..numItems dropped
 * @param hasAllowed per row 1 when the request has an allowed set, else 0
 */
public record TopKInputs(int[] excludePairs, int[] allowPairs, float[] hasAllowed) {

  public static TopKInputs of(List<RecommendRequest> requests, int numItems) {
    int b = requests.size();
    int excl = 0;
    int allow = 0;
    for (RecommendRequest r : requests) {
      excl += r.exclude().length;
      if (r.allowed() != null) allow += r.allowed().length;
    }
    int[] exclIdx = new int[excl * 2];
    int[] allowIdx = new int[allow * 2];
    float[] hasAllowed = new float[b];
    int e = 0;
    int a = 0;
    for (int row = 0; row < b; row++) {
      RecommendRequest r = requests.get(row);
      for (int item : r.exclude()) {
        if (item < 0 || item > numItems) continue; // unknown items cannot be recommended anyway
        exclIdx[e++] = row;
        exclIdx[e++] = item;
      }
      if (r.allowed() != null) {
        hasAllowed[row] = 1f;
        for (int item : r.allowed()) {
          if (item < 1 || item > numItems) continue;
          allowIdx[a++] = row;
          allowIdx[a++] = item;
        }
      }
    }
    return new TopKInputs(
        e == exclIdx.length ? exclIdx : Arrays.copyOf(exclIdx, e),
        a == allowIdx.length ? allowIdx : Arrays.copyOf(allowIdx, a),
        hasAllowed);
  }
}
