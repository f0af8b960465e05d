package pulse.engine.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import pulse.engine.user.UserEntity;
import pulse.engine.user.Users;
import pulse.engine.event.UserEvent;
import pulse.engine.catalog.CategoryLookup;

/**
 * Validated events into the user actors, the same way for HTTP and Kafka: categories looked up once per batch,
 * one persist per user per batch, and a result that says per user whether its events are persisted.
 */
public final class EventIngest {

  /** What happened to one user's events of a batch: persisted (with how many were duplicates), or not. */
  public record UserOutcome(String userId, List<UserEvent> events, int accepted, int duplicates, String failure) {
    public boolean persisted() {
      return failure == null;
    }
  }

  private final Users users;
  private final CategoryLookup categories;
  private final List<java.util.function.Consumer<List<UserEntity.IncomingEvent>>> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public EventIngest(Users users, CategoryLookup categories) {
    this.users = users;
    this.categories = categories;
  }

  /**
   * Called with each user's events once they are persisted (for node-local aggregates such as trending items).
   * Redelivered duplicates are included: the actor's answer counts them but does not name them.
   */
  public void addPersistedListener(java.util.function.Consumer<List<UserEntity.IncomingEvent>> listener) {
    listeners.add(listener);
  }

  /** Completes when every user's persist has answered; never fails (a failure is in that user's outcome). */
  public CompletionStage<List<UserOutcome>> ingest(List<UserEvent> events) {
    Map<String, List<UserEvent>> byUser = new LinkedHashMap<>();
    for (UserEvent e : events) {
      byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
    }
    List<String> itemIds = events.stream().map(UserEvent::itemId).filter(Objects::nonNull).distinct().toList();
    return categories.categoriesOf(itemIds)
        .exceptionally(e -> Map.of()) // the catalog is an enrichment: events are not refused without it
        .thenCompose(cats -> {
          List<CompletableFuture<UserOutcome>> outcomes = new ArrayList<>(byUser.size());
          byUser.forEach((userId, userEvents) -> {
            List<UserEntity.IncomingEvent> incoming = userEvents.stream()
                .map(e -> new UserEntity.IncomingEvent(e, e.itemId() == null ? List.of() : cats.getOrDefault(e.itemId(), List.of())))
                .toList();
            outcomes.add(users.record(userId, incoming).toCompletableFuture()
                .handle((rec, err) -> {
                  if (err != null) {
                    return new UserOutcome(userId, userEvents, 0, 0, rootMessage(err));
                  }
                  if (rec.accepted() > 0) {
                    listeners.forEach(l -> l.accept(incoming));
                  }
                  return new UserOutcome(userId, userEvents, rec.accepted(), rec.duplicates(), null);
                }));
          });
          return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
              .thenApply(v -> outcomes.stream().map(CompletableFuture::join).toList());
        });
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
