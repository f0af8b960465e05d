package pulse.engine.feedback;

/**
 * A persisted user event as the learner reads it: just what example building needs, so the learner
 * does not depend on the ingest types or the journal's event classes.
 *
 * @param type wire name: view, click, add_to_cart, purchase, rating, impression or search
 * @param itemId null for a search
 * @param timestamp event time, epoch milliseconds
 */
public record FeedbackEvent(
    String userId, String eventId, String itemId, String type, long timestamp) {}
