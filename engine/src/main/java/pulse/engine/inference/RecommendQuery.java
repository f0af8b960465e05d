package pulse.engine.inference;

import pulse.engine.common.CborSerializable;

/**
 * What a caller asks for one user.
 *
 * @param k items wanted (1..{@link #MAX_K})
 * @param excludeSeen leave out items in the user's recent history
 * @param category only items of this catalog category, or null for any
 * @param explain add, per item, the history items that weighed most in the encoder's attention for
 *     it
 * @param modelVersion a pinned version to rank with (an experiment's frozen or canary variant),
 *     which the pool must hold ({@link InferencePool.Pin}); null for the version every node serves
 *     now
 */
public record RecommendQuery(
    String userId,
    int k,
    boolean excludeSeen,
    String category,
    boolean explain,
    String modelVersion)
    implements CborSerializable {
  public static final int MAX_K = 200;

  public RecommendQuery(
      String userId, int k, boolean excludeSeen, String category, boolean explain) {
    this(userId, k, excludeSeen, category, explain, null);
  }

  public RecommendQuery withModelVersion(String version) {
    return new RecommendQuery(userId, k, excludeSeen, category, explain, version);
  }

  public RecommendQuery {
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("k must be between 1 and " + MAX_K + ", was " + k);
    }
  }
}
