package pulse.engine.user;

/**
 * An open-addressing set of longs (linear probing, backward-shift deletion): no boxing and no entry
 * objects, because dedup keeps up to 10,000 ids per resident user. 0 marks an empty slot, so 0 is
 * stored as 1; the caller's values are hashes, where that merges one value in 2^64 with another.
 */
final class LongHashSet {

  private static final int MIN_CAPACITY = 16;

  private long[] table = new long[MIN_CAPACITY];
  private int size;

  int size() {
    return size;
  }

  boolean contains(long value) {
    long v = nonZero(value);
    int mask = table.length - 1;
    for (int i = slot(v, mask); ; i = (i + 1) & mask) {
      long held = table[i];
      if (held == 0) {
        return false;
      }
      if (held == v) {
        return true;
      }
    }
  }

  /** Returns false if the value was already present. */
  boolean add(long value) {
    long v = nonZero(value);
    // Keep the load factor at most 1/2 so probe runs stay short.
    if ((size + 1) * 2 > table.length) {
      resize(table.length * 2);
    }
    int mask = table.length - 1;
    for (int i = slot(v, mask); ; i = (i + 1) & mask) {
      long held = table[i];
      if (held == 0) {
        table[i] = v;
        size++;
        return true;
      }
      if (held == v) {
        return false;
      }
    }
  }

  void remove(long value) {
    long v = nonZero(value);
    int mask = table.length - 1;
    int i = slot(v, mask);
    while (table[i] != v) {
      if (table[i] == 0) {
        return;
      }
      i = (i + 1) & mask;
    }
    // Backward-shift: pull later entries of the probe run into the hole so lookups need no
    // tombstones.
    int hole = i;
    for (int j = (hole + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
      int home = slot(table[j], mask);
      boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        table[hole] = table[j];
        hole = j;
      }
    }
    table[hole] = 0;
    size--;
    if (table.length > MIN_CAPACITY && size * 8 < table.length) {
      resize(table.length / 2);
    }
  }

  private void resize(int capacity) {
    long[] old = table;
    table = new long[capacity];
    int mask = capacity - 1;
    for (long v : old) {
      if (v != 0) {
        int i = slot(v, mask);
        while (table[i] != 0) {
          i = (i + 1) & mask;
        }
        table[i] = v;
      }
    }
  }

  private static long nonZero(long v) {
    return v == 0 ? 1 : v;
  }

  private static int slot(long v, int mask) {
    return (int) (v ^ (v >>> 32)) & mask;
  }
}
