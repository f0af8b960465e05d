package pulse.model;

import java.util.Arrays;

/**
 * Left padding: the most recent {@code len} entries end at the last position, earlier positions are
 * 0.
 */
public final class Padding {
  private Padding() {}

  /**
   * Writes the last {@code len} values of {@code seq} right-aligned into {@code dest[offset,
   * offset+len)}, zero-filling the front. Values outside [0, maxValue] become 0 (unknown ids are
   * treated as padding).
   */
  public static void leftPadInto(int[] seq, int[] dest, int offset, int len, int maxValue) {
    int take = Math.min(len, seq.length);
    int start = seq.length - take;
    int pad = len - take;
    Arrays.fill(dest, offset, offset + pad, 0);
    for (int i = 0; i < take; i++) {
      int v = seq[start + i];
      dest[offset + pad + i] = v < 0 || v > maxValue ? 0 : v;
    }
  }

  /**
   * Positions are padded in steps of this many, so batches of slightly different lengths share a
   * shape.
   */
  public static final int LENGTH_STEP = 8;

  /**
   * The sequence length to feed for a batch whose longest history has {@code longest} items: that,
   * rounded up to a multiple of {@link #LENGTH_STEP}, at most {@code maxLen}. The encoder's causal
   * attention and key-padding mask make a real position's output independent of how much padding
   * precedes it (up to float rounding in the attention sums), and the cost grows with L (the
   * attention with L squared), so a 20-item history need not pay for 200 positions.
   */
  public static int fittedLength(int longest, int maxLen) {
    int stepped = ((Math.max(1, longest) + LENGTH_STEP - 1) / LENGTH_STEP) * LENGTH_STEP;
    return Math.min(maxLen, stepped);
  }

  public static int[] leftPad(int[] seq, int len) {
    int[] out = new int[len];
    leftPadInto(seq, out, 0, len, Integer.MAX_VALUE);
    return out;
  }
}
