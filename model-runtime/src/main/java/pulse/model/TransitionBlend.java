package pulse.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * What the model adds to an item's score from the user's last {@link #LAST_ITEMS} items: {@code
 * weight * decay^j * log1p(t)} for each item with transition weight t in the row ({@link
 * ItemTransitions}) of the history's j-th item from the end (j = 0: the last), summed over those
 * rows; nothing for the others. The log keeps a popular pair from drowning the encoder's ranking;
 * weight and decay are chosen on validation users after training (weight 0 = the encoder alone).
 */
public record TransitionBlend(ItemTransitions transitions, float weight, float decay) {
  /** How many of the most recent history items contribute (the transitions' window). */
  public static final int LAST_ITEMS = ItemTransitions.WINDOW;

  /** Receives one (item, bonus) pair; an item can come from several rows (add them up). */
  @FunctionalInterface
  public interface BonusSink {
    void accept(int item, float bonus);
  }

  public TransitionBlend {
    if (transitions == null) throw new IllegalArgumentException("transitions must not be null");
    if (!(weight >= 0) || Float.isInfinite(weight)) {
      throw new IllegalArgumentException("transition weight must be >= 0, was " + weight);
    }
    if (!(decay >= 0 && decay <= 1)) {
      throw new IllegalArgumentException("transition decay must be in 0..1, was " + decay);
    }
  }

  /** Each bonus pair of a history, its most recent items' rows (none for an empty history). */
  public void forEachBonus(SequenceInput history, BonusSink sink) {
    if (weight == 0f) return;
    int[] h = history.items();
    float f = weight;
    for (int j = 0; j < LAST_ITEMS && j < h.length && f > 0f; j++) {
      int item = h[h.length - 1 - j];
      int[] items = transitions.neighbours(item);
      float[] w = transitions.weights(item);
      for (int k = 0; k < items.length; k++) sink.accept(items[k], f * (float) Math.log1p(w[k]));
      f *= decay;
    }
  }

  /** How many pairs {@link #forEachBonus} gives for a history. */
  public int bonusCount(SequenceInput history) {
    if (weight == 0f) return 0;
    int[] h = history.items();
    int n = 0;
    float f = weight;
    for (int j = 0; j < LAST_ITEMS && j < h.length && f > 0f; j++) {
      n += transitions.neighbours(h[h.length - 1 - j]).length;
      f *= decay;
    }
    return n;
  }

  /**
   * Adds each row's bonuses to scores already computed, row-major [histories.size(), width] (column
   * = item index).
   */
  public void addTo(float[] scores, List<SequenceInput> histories) {
    if (weight == 0f || histories.isEmpty()) return;
    int width = scores.length / histories.size();
    for (int row = 0; row < histories.size(); row++) {
      int off = row * width;
      forEachBonus(histories.get(row), (item, bonus) -> scores[off + item] += bonus);
    }
  }

  /** The weight and decay, then the table ({@link ItemTransitions#write}). */
  public void write(OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeFloat(weight);
    d.writeFloat(decay);
    transitions.write(d);
    d.flush();
  }

  /**
   * @throws IOException if the stream is not a blend written by {@link #write}
   */
  public static TransitionBlend read(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    float weight = d.readFloat();
    float decay = d.readFloat();
    ItemTransitions t = ItemTransitions.read(d);
    try {
      return new TransitionBlend(t, weight, decay);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
