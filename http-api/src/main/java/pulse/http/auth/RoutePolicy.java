package pulse.http.auth;

import java.util.Optional;
import java.util.Set;

/**
 * Which role each route needs: the one table of it. Open paths (health, readiness, metrics, the API
 * description) need none. A path this table does not know needs {@code read} for GET and HEAD and
 * {@code admin} for anything else, so a route added without a line here is closed, not open, and an
 * unknown path answers 404 only to a caller with a key.
 */
public final class RoutePolicy {
  private final Set<String> openPaths;

  public RoutePolicy(Set<String> openPaths) {
    this.openPaths = Set.copyOf(openPaths);
  }

  /** The role {@code method path} needs; empty when the path is open. */
  public Optional<Role> needed(String method, String path) {
    if (openPaths.contains(path)) {
      return Optional.empty();
    }
    String[] p = path.split("/", -1); // "/v1/users/u1/features" -> ["", "v1", "users", "u1", ...]
    boolean read = method.equals("GET") || method.equals("HEAD");
    if (p.length >= 3 && p[1].equals("v1")) {
      switch (p[2]) {
        case "events":
          if (p.length == 3 && method.equals("POST")) {
            return Optional.of(Role.INGEST);
          }
          break;
        case "users":
          if (p.length == 4 && method.equals("DELETE")) {
            return Optional.of(Role.ADMIN); // forgetting a user
          }
          break;
        default:
          break;
      }
    }
    // Recommendations, features, items and the model's state are read; the catalog's writes, the
    // model's controls (pause, resume, rollback) and whatever else is not a read are admin.
    return Optional.of(read ? Role.READ : Role.ADMIN);
  }
}
