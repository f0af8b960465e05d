package pulse.engine.versions;

/**
 * The name of a model version: the offline model it descends from (its lineage, e.g.
 * "ml100k-20261201") and, for a version the online learner made, the learner's sequence number,
 * written {@code <lineage>.u<seq>}. The one place that writes and reads that form.
 *
 * @param seq the learner's sequence number; {@link #OFFLINE} for an offline model's own name
 */
public record VersionName(String lineage, long seq) {
  public static final long OFFLINE = -1;
  private static final String SEPARATOR = ".u";

  /** The learner's version {@code seq} of {@code lineage}. */
  public static VersionName learned(String lineage, long seq) {
    return new VersionName(lineage, seq);
  }

  /**
   * Reads a name; one without a learner's suffix (or with an unreadable one) is an offline model's.
   */
  public static VersionName parse(String name) {
    int at = name.lastIndexOf(SEPARATOR);
    if (at > 0) {
      try {
        return new VersionName(
            name.substring(0, at), Long.parseLong(name.substring(at + SEPARATOR.length())));
      } catch (NumberFormatException notOurs) {
        // an offline name that happens to contain ".u"
      }
    }
    return new VersionName(name, OFFLINE);
  }

  public boolean learned() {
    return seq != OFFLINE;
  }

  @Override
  public String toString() {
    return learned() ? lineage + SEPARATOR + seq : lineage;
  }
}
