package pulse.model;

import java.util.Set;

/** Which parameters one incremental update step may move. */
public sealed interface UpdateScope {

  /** Every trainable variable, every item row. */
  record All() implements UpdateScope {}

  /**
   * Only the named variables move; if {@code itemRows} is non-null, only those rows of the item
   * embedding move (the rest of the table, and its Adam moments, stay untouched), e.g. the items in
   * the mini-batch.
   */
  record Only(Set<String> variables, int[] itemRows) implements UpdateScope {}

  static UpdateScope all() {
    return new All();
  }

  /** Just the item-embedding rows given, nothing else: the cheapest online update. */
  static UpdateScope itemRows(int... rows) {
    return new Only(Set.of(EncoderGraph.ITEM_EMBEDDING), rows);
  }
}
