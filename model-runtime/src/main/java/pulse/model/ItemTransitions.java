package pulse.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Which items follow which in the training sequences: for each item, its neighbours within {@link
 * #WINDOW} positions, weighted 1/distance when they come after it and half that when they come
 * before. Last-item co-occurrence ranks by one row of it; the model adds a bonus from it ({@link
 * TransitionBlend}), because a transformer of width d cannot store every item-to-item transition of
 * a sparse catalogue, and those are what sparse data (a few interactions per user) carries most.
 * Rows are immutable after {@link #fit}.
 */
public final class ItemTransitions {
  public static final int WINDOW = 3;
  private static final int MAGIC = 0x50545231; // "PTR1"

  private final int numItems;
  private final int[][] neighbours;
  private final float[][] weights;

  private ItemTransitions(int numItems, int[][] neighbours, float[][] weights) {
    this.numItems = numItems;
    this.neighbours = neighbours;
    this.weights = weights;
  }

  /** Counts the transitions of item indices 1..numItems in the sequences (others are skipped). */
  public static ItemTransitions fit(int[][] sequences, int numItems) {
    @SuppressWarnings("unchecked")
    Map<Integer, Float>[] rows = new Map[numItems + 1];
    for (int[] s : sequences) {
      for (int i = 0; i < s.length; i++) {
        for (int j = i + 1; j < Math.min(s.length, i + 1 + WINDOW); j++) {
          if (!known(s[i], numItems) || !known(s[j], numItems)) continue;
          float w = 1f / (j - i);
          row(rows, s[i]).merge(s[j], w, Float::sum);
          row(rows, s[j]).merge(s[i], w * 0.5f, Float::sum);
        }
      }
    }
    int[][] nb = new int[numItems + 1][];
    float[][] ws = new float[numItems + 1][];
    for (int item = 0; item <= numItems; item++) {
      Map<Integer, Float> r = rows[item];
      int n = r == null ? 0 : r.size();
      nb[item] = new int[n];
      ws[item] = new float[n];
      if (r == null) continue;
      int k = 0;
      for (var e : r.entrySet()) {
        nb[item][k] = e.getKey();
        ws[item][k++] = e.getValue();
      }
    }
    return new ItemTransitions(numItems, nb, ws);
  }

  private static boolean known(int item, int numItems) {
    return item >= 1 && item <= numItems;
  }

  private static Map<Integer, Float> row(Map<Integer, Float>[] rows, int item) {
    if (rows[item] == null) rows[item] = new HashMap<>();
    return rows[item];
  }

  public int numItems() {
    return numItems;
  }

  /** The items seen near {@code item} (empty for an unknown item); do not modify. */
  public int[] neighbours(int item) {
    return known(item, numItems) ? neighbours[item] : new int[0];
  }

  /** The weights aligned with {@link #neighbours}; do not modify. */
  public float[] weights(int item) {
    return known(item, numItems) ? weights[item] : new float[0];
  }

  /** Stored (item, neighbour) pairs. */
  public long size() {
    long n = 0;
    for (int[] r : neighbours) n += r.length;
    return n;
  }

  public void write(OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(MAGIC);
    d.writeInt(numItems);
    for (int item = 1; item <= numItems; item++) {
      d.writeInt(neighbours[item].length);
      for (int k = 0; k < neighbours[item].length; k++) {
        d.writeInt(neighbours[item][k]);
        d.writeFloat(weights[item][k]);
      }
    }
    d.flush();
  }

  /**
   * @throws IOException if the stream is not a transition table or names items outside its range
   */
  public static ItemTransitions read(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    if (d.readInt() != MAGIC) throw new IOException("not a transition table (bad magic number)");
    int numItems = d.readInt();
    if (numItems < 0) throw new IOException("transition table has a negative item count");
    int[][] nb = new int[numItems + 1][];
    float[][] ws = new float[numItems + 1][];
    nb[0] = new int[0];
    ws[0] = new float[0];
    for (int item = 1; item <= numItems; item++) {
      int n = d.readInt();
      if (n < 0 || n > numItems) throw new IOException("row " + item + " has " + n + " entries");
      nb[item] = new int[n];
      ws[item] = new float[n];
      for (int k = 0; k < n; k++) {
        nb[item][k] = d.readInt();
        ws[item][k] = d.readFloat();
        if (!known(nb[item][k], numItems))
          throw new IOException("row " + item + " names item " + nb[item][k]);
      }
    }
    return new ItemTransitions(numItems, nb, ws);
  }
}
