package pulse.http.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * What a key may do. {@code read}: recommendations, features, items, the model's state; {@code
 * ingest}: post events; {@code admin}: everything, including the catalog, the model's controls and
 * forgetting users.
 */
public enum Role {
  READ,
  INGEST,
  ADMIN;

  /** Whether a key of this role may use a route that needs {@code needed}. */
  public boolean permits(Role needed) {
    return this == ADMIN || this == needed;
  }

  /** As written in keys files, environment names and error bodies: "read", "ingest", "admin". */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> parse(String label) {
    for (Role r : values()) {
      if (r.label().equals(label)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
