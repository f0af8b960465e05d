package pulse.engine.inference;

import java.util.List;
import pulse.engine.common.CborSerializable;

/**
 * What the inference pool answers for one request. It crosses nodes (user actor's node to the HTTP
 * node).
 */
public sealed interface RecommendOutcome extends CborSerializable {

  /**
   * A history item that weighed in an item's score, with its share of the attention-based
   * attribution.
   */
  record Reason(String itemId, double weight) implements CborSerializable {}

  /** An item and its score; {@code because} only when explain was asked (else null). */
  record ScoredItem(String itemId, double score, List<Reason> because)
      implements CborSerializable {}

  /** The encoder's ranking, computed with exactly one model version. */
  record Ranked(
      List<ScoredItem> items,
      String modelVersion,
      double queueMillis,
      double modelMillis,
      int batchSize)
      implements RecommendOutcome {}

  /**
   * Why the model did not answer; the caller falls back (or refuses, for {@link Reason#REJECTED}).
   */
  enum Why {
    NO_HISTORY,
    NO_MODEL,
    TIMEOUT,
    MODEL_ERROR,
    REJECTED
  }

  record Unserved(Why why, String detail) implements RecommendOutcome {}
}
