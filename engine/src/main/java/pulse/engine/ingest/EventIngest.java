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

  private final Users users;
  private final CategoryLookup categories;

  public EventIngest(Users users, CategoryLookup categories) {
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
    return categories
        .categoriesOf(itemIds)
        .exceptionally(
            e -> Map.of()) // the catalog is an enrichment: events are not refused without it
        .thenCompose(
            cats -> {
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
            });
  }
}
