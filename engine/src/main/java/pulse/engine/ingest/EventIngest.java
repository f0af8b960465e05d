package pulse.engine.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import pulse.engine.catalog.CategoryLookup;
import pulse.engine.common.Failures;
import pulse.engine.event.RecordedEvent;
import pulse.engine.event.UserEvent;
import pulse.engine.user.UserEntity;
import pulse.engine.user.Users;

/**
 * Validated events into the user actors, the same way for HTTP, Kafka and the impressions of served
 * lists: categories looked up once per batch, one persist per user per batch, and a result that
 * says per user whether its events are persisted. What happens to persisted events next is the user
 * actor's business ({@link pulse.engine.event.PersistedEvents}), not the caller's.
 */
public final class EventIngest {

  /**
   * What happened to one user's events of a batch: persisted (with how many were duplicates), or
   * not.
   */
  public record UserOutcome(
      String userId, List<UserEvent> events, int accepted, int duplicates, String failure) {
    public boolean persisted() {
      return failure == null;
    }
  }

  /** Where one user's events are persisted: the user actors ({@link Users#record}). */
  @FunctionalInterface
  public interface Recorder {
    CompletionStage<UserEntity.Recorded> record(String userId, List<RecordedEvent> events);
  }

  private final Recorder users;
  private final CategoryLookup categories;

  public EventIngest(Recorder users, CategoryLookup categories) {
    this.users = users;
    this.categories = categories;
  }

  /**
   * Completes when every user's persist has answered; never fails (a failure is in that user's
   * outcome).
   */
  public CompletionStage<List<UserOutcome>> ingest(List<UserEvent> events) {
    Map<String, List<UserEvent>> byUser = new LinkedHashMap<>();
    for (UserEvent e : events) {
      byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
    }
    List<String> itemIds =
        events.stream().map(UserEvent::itemId).filter(Objects::nonNull).distinct().toList();
    CompletionStage<Map<String, List<String>>> lookup =
        itemIds.isEmpty()
            ? CompletableFuture.completedFuture(Map.of())
            : categories.categoriesOf(itemIds);
    // An unreadable catalog refuses the batch (HTTP 503, Kafka reads it again) rather than
    // persisting the events without their categories: the category features would lose them for
    // good, and nobody would know. It is read from the same Cassandra the events go to, so the
    // persist would most likely fail too.
    return lookup
        .handle(
            (cats, error) ->
                error == null
                    ? persist(byUser, cats)
                    : CompletableFuture.completedFuture(
                        refuse(
                            byUser,
                            "the item catalog could not be read for the events' categories ("
                                + Failures.rootMessage(error)
                                + ")")))
        .thenCompose(outcomes -> outcomes);
  }

  private static List<UserOutcome> refuse(Map<String, List<UserEvent>> byUser, String why) {
    List<UserOutcome> outcomes = new ArrayList<>(byUser.size());
    byUser.forEach(
        (userId, userEvents) -> outcomes.add(new UserOutcome(userId, userEvents, 0, 0, why)));
    return outcomes;
  }

  private CompletableFuture<List<UserOutcome>> persist(
      Map<String, List<UserEvent>> byUser, Map<String, List<String>> cats) {
    List<CompletableFuture<UserOutcome>> outcomes = new ArrayList<>(byUser.size());
    byUser.forEach(
        (userId, userEvents) -> {
          List<RecordedEvent> incoming =
              userEvents.stream()
                  .map(
                      e ->
                          new RecordedEvent(
                              e,
                              e.itemId() == null
                                  ? List.of()
                                  : cats.getOrDefault(e.itemId(), List.of())))
                  .toList();
          outcomes.add(
              users
                  .record(userId, incoming)
                  .toCompletableFuture()
                  .handle(
                      (rec, err) -> {
                        if (err != null) {
                          return new UserOutcome(
                              userId, userEvents, 0, 0, Failures.rootMessage(err));
                        }
                        return new UserOutcome(
                            userId, userEvents, rec.accepted(), rec.duplicates(), null);
                      }));
        });
    return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
        .thenApply(v -> outcomes.stream().map(CompletableFuture::join).toList());
  }
}
