package pulse.model;

/** Left padding: the most recent {@code len} entries end at the last position, earlier positions are 0. */
public final class Padding {
    private Padding() {}

    /**
     * Writes the last {@code len} values of {@code seq} right-aligned into {@code dest[offset, offset+len)},
     * zero-filling the front. Values outside [0, maxValue] become 0 (unknown ids are treated as padding).
     */
    public static void leftPadInto(int[] seq, int[] dest, int offset, int len, int maxValue) {
        int take = Math.min(len, seq.length);
        int start = seq.length - take;
        int pad = len - take;
        java.util.Arrays.fill(dest, offset, offset + pad, 0);
        for (int i = 0; i < take; i++) {
            int v = seq[start + i];
            dest[offset + pad + i] = v < 0 || v > maxValue ? 0 : v;
        }
    }

    public static int[] leftPad(int[] seq, int len) {
        int[] out = new int[len];
        leftPadInto(seq, out, 0, len, Integer.MAX_VALUE);
        return out;
    }
}
