package pulse.model;

/** Top-K result for one user: internal item indices, best first, with their dot-product scores. */
public record Recommendations(int[] items, float[] scores) {
  public int size() {
    return items.length;
  }
}
