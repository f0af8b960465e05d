package pulse.model.data;

import java.util.Arrays;
import java.util.List;

/**
 * Every user's interaction sequence, oldest first, as internal item indices.
 *
 * @param userIds external user ids, aligned with sequences
 * @param sequences per user, internal item indices in time order
 * @param items the vocabulary the indices refer to
 * @param fingerprint SHA-256 of the source file's bytes and format: identifies the training data in
 *     the manifest
 * @param source file the data came from
 * @param gapBuckets per user, aligned with sequences: {@link GapBuckets} of each event, or null
 *     when the format has no timestamps
 */
public record UserSequences(
    List<String> userIds,
    int[][] sequences,
    ItemVocabulary items,
    String fingerprint,
    String source,
    int[][] gapBuckets) {

  public int users() {
    return sequences.length;
  }

  public long interactions() {
    long n = 0;
    for (int[] s : sequences) n += s.length;
    return n;
  }

  /**
   * The first {@code n} users (in file order), sharing the vocabulary: a quick subset for tests.
   */
  public UserSequences firstUsers(int n) {
    int m = Math.min(n, sequences.length);
    int[][] seqs = Arrays.copyOf(sequences, m);
    int[][] gaps = gapBuckets == null ? null : Arrays.copyOf(gapBuckets, m);
    return new UserSequences(
        userIds.subList(0, m), seqs, items, fingerprint + ":first" + m, source, gaps);
  }
}
