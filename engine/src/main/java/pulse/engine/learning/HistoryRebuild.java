package pulse.engine.learning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import pulse.engine.event.Interaction;
import pulse.engine.feedback.FeedRecord;
import pulse.engine.feedback.FeedbackEvent;

/**
 * Rebuilding a user's learner history from the user's own state. The learner holds histories in
 * memory only, so after a restart, a move to another node, a rollback or an eviction it does not
 * know a returning user, whose next event would then make no example. The user entity keeps the
 * user's recent interactions; from them the learner takes what came before the event it is about to
 * learn from.
 *
 * <p>The entity already holds that event, and maybe later ones (the feedback topic trails the
 * journal by seconds), so the recent list is cut before the event: at the first interaction later
 * than it, or at the event's own entry (same time, item and type; equal times keep arrival order in
 * the entity). Interactions carry no event id, so two identical interactions at the same
 * millisecond are one here.
 */
final class HistoryRebuild {
  private HistoryRebuild() {}

  /**
   * The users of these records the learner does not know ({@code known} false), each with the first
   * of its events in the records: the one its history must end before. In record order.
   */
  static Map<String, FeedbackEvent> firstEventsOfUnknownUsers(
      List<FeedRecord> records, Predicate<String> known) {
    Map<String, FeedbackEvent> first = new LinkedHashMap<>();
    for (FeedRecord r : records) {
      String user = r.event().userId();
      if (user != null && !user.isBlank() && !first.containsKey(user) && !known.test(user)) {
        first.put(user, r.event());
      }
    }
    return first;
  }

  /**
   * The items of {@code recent} (oldest first, as the entity keeps them) that came strictly before
   * {@code event}, oldest first; only the interactions that are positives to the learner (the
   * entity's sequence may be configured to hold searches and impressions too).
   */
  static List<String> itemsBefore(List<Interaction> recent, FeedbackEvent event) {
    List<String> items = new ArrayList<>();
    for (Interaction i : recent) {
      if (i.timestamp() > event.timestamp() || isTheEvent(i, event)) {
        break;
      }
      if (i.itemId() != null
          && !i.itemId().isBlank()
          && i.type() != null
          && ExampleStream.isPositive(i.type().wireName())) {
        items.add(i.itemId());
      }
    }
    return items;
  }

  private static boolean isTheEvent(Interaction i, FeedbackEvent event) {
    return i.timestamp() == event.timestamp()
        && Objects.equals(i.itemId(), event.itemId())
        && i.type() != null
        && i.type().wireName().equals(event.type());
  }
}
