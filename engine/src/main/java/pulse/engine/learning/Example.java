package pulse.engine.learning;

import java.util.List;

/**
 * One next-item training step: given what the user interacted with before (oldest first), the user
 * went on to {@code positiveItem}; {@code negatives} are items the user was shown and left alone
 * (may be empty, in which case the trainer samples its own).
 *
 * @param eventId the positive event's id, so a test-then-train metric and a resumed learner can
 *     point at it
 */
public record Example(
    String userId,
    List<String> historyBefore,
    String positiveItem,
    List<String> negatives,
    String eventId) {
  public Example {
    historyBefore = List.copyOf(historyBefore);
    negatives = List.copyOf(negatives);
  }
}
