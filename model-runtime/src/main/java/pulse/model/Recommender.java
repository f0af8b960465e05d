package pulse.model;

import java.util.List;

/**
 * What the engine needs from a trained sequence model. Implementations state their thread-safety.
 */
public interface Recommender extends AutoCloseable {

  /**
   * For each request, up to k items (fewer if exclusions or the allowed set leave fewer), best
   * first.
   */
  List<Recommendations> recommend(List<RecommendRequest> requests, int k);

  /**
   * The user vector (last position's output) per sequence: a feature downstream rankers can use.
   */
  float[][] encode(List<SequenceInput> sequences);

  /**
   * "Because you viewed ...": for row b and each candidate item in {@code candidateItems[b]}
   * (typically what {@link #recommend} returned for that row), the history items of {@code
   * sequences.get(b)} that contributed most to it, best first, at most {@code topN} each. Result:
   * one list per row, one {@link Explanation} per candidate in the given order.
   *
   * @throws IllegalArgumentException if {@code candidateItems.length != sequences.size()}, a
   *     candidate is not a catalogue item, or {@code topN < 1}
   */
  List<List<Explanation>> explain(List<SequenceInput> sequences, int[][] candidateItems, int topN);

  ModelConfig config();

  @Override
  void close();
}
