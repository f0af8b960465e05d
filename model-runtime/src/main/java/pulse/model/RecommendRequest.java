package pulse.model;

/**
 * A top-K query for one user.
 *
 * @param sequence the user's history
 * @param exclude internal item indices never to return (e.g. already consumed); may be empty
 * @param allowed if non-null, only these items may be returned (e.g. in stock); null = whole
 *     catalogue
 */
public record RecommendRequest(SequenceInput sequence, int[] exclude, int[] allowed) {
  public RecommendRequest {
    if (sequence == null) throw new IllegalArgumentException("sequence must not be null");
    if (exclude == null) exclude = new int[0];
  }

  public static RecommendRequest of(SequenceInput sequence) {
    return new RecommendRequest(sequence, new int[0], null);
  }
}
