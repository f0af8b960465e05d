package pulse.engine.event;

import java.util.Optional;

/**
 * What a user id may be, wherever one arrives (a path segment, an event's body): 1 to {@link
 * #MAX_LENGTH} characters, not blank, no control characters. The id keys the user's shard, journal
 * and feedback records.
 */
public final class UserIds {
  public static final int MAX_LENGTH = 128;

  private UserIds() {}

  /** Why {@code userId} is not a valid user id, or empty when it is. */
  public static Optional<String> problem(String userId) {
    if (userId == null
        || userId.isBlank()
        || userId.length() > MAX_LENGTH
        || userId.chars().anyMatch(Character::isISOControl)) {
      return Optional.of(
          "userId must be 1-" + MAX_LENGTH + " characters without control characters");
    }
    return Optional.empty();
  }
}
