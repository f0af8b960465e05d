package pulse.engine.analysis;

import java.util.List;
import java.util.Map;
import pulse.engine.experiment.ListAttribution;
import pulse.engine.experiment.VariantTotals;
import pulse.engine.feedback.FeedbackWire;

/**
 * Everything the experiment analyst knows, as of one point of the feedback topic: the totals of
 * finished lists (experiment, then variant), the lists still open, the records read but not yet
 * released in event-time order, and the next offset to read per partition. Saved and restored
 * whole, so that the records after {@code offsets} are the only ones read again, and they meet
 * exactly the state they met the first time.
 */
public record AnalystCheckpoint(
    Map<String, Map<String, VariantTotals.Snapshot>> totals,
    Progress progress,
    Map<Integer, Long> offsets) {

  /** The attribution's state and the records waiting in the event-time buffer (oldest first). */
  public record Progress(ListAttribution.State attribution, List<FeedbackWire> waiting) {
    public Progress {
      waiting = List.copyOf(waiting);
    }
  }

  public AnalystCheckpoint {
    totals = Map.copyOf(totals);
    offsets = Map.copyOf(offsets);
  }
}
