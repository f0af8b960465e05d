package pulse.engine.event;

import java.util.List;

/**
 * Where a user actor hands the events it has just persisted: the one road every persisted event
 * takes (HTTP, Kafka and impressions alike) to the node's consumers (trending items; the feedback
 * topic is fed from the journal instead). Called by the actor, once per persist, after the journal
 * write and before the sender's acknowledgement; so an event whose acknowledgement was lost (an ask
 * that timed out) is handed on all the same, and its redelivery, a duplicate, is not handed on
 * again. Implementations must be thread-safe and must not block: actors of many users call them
 * concurrently.
 */
@FunctionalInterface
public interface PersistedEvents {
  PersistedEvents NONE = events -> {};

  void persisted(List<RecordedEvent> events);

  /** Hands every persist to each of {@code consumers}, in order. */
  static PersistedEvents all(List<PersistedEvents> consumers) {
    List<PersistedEvents> copy = List.copyOf(consumers);
    return events -> copy.forEach(c -> c.persisted(events));
  }
}
