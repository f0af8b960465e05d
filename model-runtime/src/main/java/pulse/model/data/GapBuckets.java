package pulse.model.data;

/**
 * Time since the user's previous event as a small vocabulary for the model's gap-bucket side input;
 * user actors must bucket exactly like this. 0 = padding/unknown, 1 = first event, 2.. =
 * floor(log2(1 + minutes)) + 2, capped at {@link #COUNT} (about 11 days and more share the last
 * bucket).
 */
public final class GapBuckets {
  public static final int COUNT = 16;

  private GapBuckets() {}

  public static int bucket(long secondsSincePrevious) {
    if (secondsSincePrevious < 0) secondsSincePrevious = 0;
    long minutes = secondsSincePrevious / 60;
    int log = 63 - Long.numberOfLeadingZeros(minutes + 1); // floor(log2(1 + minutes))
    return Math.min(COUNT, 2 + log);
  }

  /** Buckets for one user's timestamps (seconds, ascending). */
  public static int[] of(long[] timestamps) {
    int[] out = new int[timestamps.length];
    for (int i = 0; i < out.length; i++)
      out[i] = i == 0 ? 1 : bucket(timestamps[i] - timestamps[i - 1]);
    return out;
  }
}
