package pulse.model.data;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * External item id (as written in the data) to the model's internal index 1..size; 0 is reserved
 * for padding. Stored in the model manifest so a served model maps ids exactly as it did in
 * training.
 *
 * <p>Three kinds: an open one ({@code new ItemVocabulary()}, used while reading training data:
 * {@link #indexOf} adds unknown ids), a frozen one ({@link #of}: fixed), and a growable one ({@link
 * #withCapacity}: {@link #indexOf} never adds, but {@link #add} appends new items up to the model's
 * item-table capacity, for items that appear in the live stream).
 *
 * <p><b>Thread-safety.</b> {@link #indexOf} (of a frozen or growable vocabulary), {@link
 * #externalId}, {@link #size}, {@link #contains} and {@link #externalIds} may be called from any
 * number of threads while one or more threads {@link #add}: additions are serialised on this
 * object, and a reader that sees an id's index also sees its {@link #externalId}. An open
 * vocabulary's {@link #indexOf} (which may add) is for one thread (reading a data file).
 */
public final class ItemVocabulary {
  private static final int UNBOUNDED = Integer.MAX_VALUE;

  private final Map<String, Integer> index = new ConcurrentHashMap<>();
  private final int capacity;
  private volatile String[] external;
  private volatile int size;
  private volatile boolean frozen;

  /** An open vocabulary: {@link #indexOf} adds unknown ids (reading training data). */
  public ItemVocabulary() {
    this(UNBOUNDED, 16);
  }

  private ItemVocabulary(int capacity, int initialArray) {
    this.capacity = capacity;
    this.external = new String[initialArray];
  }

  /** A fixed vocabulary (no spare rows): {@link #add} throws once ids are all there is room for. */
  public static ItemVocabulary of(List<String> externalIds) {
    return withCapacity(externalIds, externalIds.size());
  }

  /**
   * A vocabulary of the given ids (index i+1 = ids.get(i)) that can grow with {@link #add} up to
   * {@code capacity} items (the model's item-table rows, {@code config.numItems()}). {@link
   * #indexOf} does not add.
   *
   * @throws IllegalArgumentException on a duplicate or null id, or more ids than capacity
   */
  public static ItemVocabulary withCapacity(List<String> externalIds, int capacity) {
    if (externalIds.size() > capacity) {
      throw new IllegalArgumentException(
          externalIds.size() + " item ids do not fit in a capacity of " + capacity);
    }
    ItemVocabulary v = new ItemVocabulary(capacity, capacity);
    for (String id : externalIds) {
      if (id == null) throw new IllegalArgumentException("null item id");
      if (v.index.containsKey(id)) throw new IllegalArgumentException("duplicate item id " + id);
      v.append(id);
    }
    v.frozen = true;
    return v;
  }

  /**
   * Index for an id, adding it if this vocabulary is still open; -1 if frozen (or growable) and
   * unknown.
   */
  public int indexOf(String id) {
    Integer i = index.get(id);
    if (i != null) return i;
    return frozen ? -1 : append(id);
  }

  public boolean contains(String id) {
    return index.containsKey(id);
  }

  /**
   * Appends a new item and returns its index (size() after the call); an id that is already there
   * keeps its index, which is returned. The caller then initialises that model row and raises the
   * model's assigned items.
   *
   * @throws IllegalStateException when the vocabulary is full (every spare row is taken: export or
   *     checkpoint a model with more spare rows, {@code --spare-items})
   * @throws IllegalArgumentException on a null id
   */
  public synchronized int add(String id) {
    if (id == null) throw new IllegalArgumentException("null item id");
    Integer i = index.get(id);
    if (i != null) return i;
    if (size >= capacity) {
      throw new IllegalStateException(
          "item vocabulary is full: all "
              + capacity
              + " item rows are assigned, "
              + "no spare row left for '"
              + id
              + "' (train/export the model with more --spare-items)");
    }
    return append(id);
  }

  /**
   * Rows this vocabulary may grow to (the model's numItems); Integer.MAX_VALUE for an open
   * vocabulary.
   */
  public int capacity() {
    return capacity;
  }

  /** How many more items {@link #add} accepts. */
  public int spare() {
    return capacity == UNBOUNDED ? UNBOUNDED : capacity - size;
  }

  /**
   * @throws IndexOutOfBoundsException outside 1..size()
   */
  public String externalId(int internalIndex) {
    int n = size;
    if (internalIndex < 1 || internalIndex > n) {
      throw new IndexOutOfBoundsException("item index " + internalIndex + " outside 1.." + n);
    }
    return external[internalIndex - 1];
  }

  public int size() {
    return size;
  }

  /**
   * Stops an open vocabulary from adding ids in {@link #indexOf}; {@link #add} still works up to
   * capacity.
   */
  public ItemVocabulary freeze() {
    frozen = true;
    return this;
  }

  /** A snapshot of the ids in index order (index i+1 = element i). */
  public List<String> externalIds() {
    int n = size;
    return List.of(Arrays.copyOf(external, n));
  }

  /**
   * Writes the id, then publishes it: size (volatile) before the index entry, so indexOf implies
   * externalId.
   */
  private synchronized int append(String id) {
    int n = size;
    String[] arr = external;
    if (n == arr.length) arr = Arrays.copyOf(arr, Math.max(16, Math.min(capacity, arr.length * 2)));
    arr[n] = id;
    external = arr;
    size = n + 1;
    index.put(id, n + 1);
    return n + 1;
  }
}
