package pulse.http.auth;

import java.util.Optional;
import java.util.Set;

/**
 * Which role a request needs, from the route table ({@link ApiRoute}). Open paths (health,
 * readiness, metrics, the API description) need none. A request the table does not know needs
 * {@code read} for GET and HEAD and {@code admin} for anything else, so an unknown path answers 404
 * only to a caller with a key.
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
    // A route's own role (a probe an operator closed needs read); a path the table does not know
    // (404) or a method its path does not take (405) needs read for reads, admin for the rest.
    boolean read = method.equals("GET") || method.equals("HEAD");
    return Optional.of(
        ApiRoute.match(method, path)
            .map(r -> r.role().orElse(Role.READ))
            .orElse(read ? Role.READ : Role.ADMIN));
  }
}
