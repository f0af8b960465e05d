package pulse.model;

/**
 * One user's recent history, oldest first, as internal item indices (1..numItems). Side arrays are
 * optional (null = unknown) and, when given, align with {@code items}. Longer histories are cut to
 * the model's maxLen (most recent kept).
 */
public record SequenceInput(int[] items, int[] eventTypes, int[] gapBuckets, int[] categories) {

  public SequenceInput {
    if (items == null) throw new IllegalArgumentException("items must not be null");
    checkAligned(items, eventTypes, "eventTypes");
    checkAligned(items, gapBuckets, "gapBuckets");
    checkAligned(items, categories, "categories");
  }

  public static SequenceInput of(int... items) {
    return new SequenceInput(items, null, null, null);
  }

  private static void checkAligned(int[] items, int[] side, String name) {
    if (side != null && side.length != items.length) {
      throw new IllegalArgumentException(
          name + " has " + side.length + " entries, items has " + items.length);
    }
  }
}
