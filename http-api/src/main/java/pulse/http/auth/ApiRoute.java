package pulse.http.auth;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every route of the HTTP API: the one table of them. The role each needs (RoutePolicy), the
 * metrics label of a request (EndpointTemplate) and the OpenAPI document's paths (checked by
 * OpenApiIT, both ways) come from here. {@code {id}} in a template stands for one path segment. A
 * probe's role is {@code null}: open by default ({@code pulse.http.auth.open-paths}), {@code read}
 * when an operator closes it.
 */
public enum ApiRoute {
  HEALTH("GET", "/health", null),
  READY("GET", "/ready", null),
  METRICS("GET", "/metrics", null),
  OPENAPI("GET", "/openapi.yaml", null),
  POST_EVENTS("POST", "/v1/events", Role.INGEST),
  FORGET_USER("DELETE", "/v1/users/{id}", Role.ADMIN),
  FEATURES("GET", "/v1/users/{id}/features", Role.READ),
  RECOMMENDATIONS("GET", "/v1/users/{id}/recommendations", Role.READ),
  UPSERT_ITEMS("POST", "/v1/items", Role.ADMIN),
  GET_ITEM("GET", "/v1/items/{id}", Role.READ),
  GET_MODEL("GET", "/v1/model", Role.READ),
  ROLLBACK_MODEL("POST", "/v1/model/rollback", Role.ADMIN),
  PAUSE_LEARNING("POST", "/v1/model/pause", Role.ADMIN),
  RESUME_LEARNING("POST", "/v1/model/resume", Role.ADMIN),
  STORE_CANDIDATE("POST", "/v1/model/candidates", Role.ADMIN),
  START_ROLLOUT("POST", "/v1/model/rollout", Role.ADMIN),
  LIST_ROLLOUTS("GET", "/v1/model/rollout", Role.READ),
  CREATE_EXPERIMENT("POST", "/v1/experiments", Role.ADMIN),
  LIST_EXPERIMENTS("GET", "/v1/experiments", Role.READ),
  GET_EXPERIMENT("GET", "/v1/experiments/{id}", Role.READ),
  STOP_EXPERIMENT("POST", "/v1/experiments/{id}/stop", Role.ADMIN);

  private final String method;
  private final String template;
  private final Role role;
  private final String[] segments;

  ApiRoute(String method, String template, Role role) {
    this.method = method;
    this.template = template;
    this.role = role;
    this.segments = template.split("/", -1);
  }

  public String method() {
    return method;
  }

  public String template() {
    return template;
  }

  /** The role the route needs unless its path is open; empty for a probe (open by default). */
  public Optional<Role> role() {
    return Optional.ofNullable(role);
  }

  /** The route {@code method path} is, if any (HEAD counts as GET, as Akka HTTP answers it). */
  public static Optional<ApiRoute> match(String method, String path) {
    String m = method.equals("HEAD") ? "GET" : method;
    String[] p = path.split("/", -1);
    return Arrays.stream(values()).filter(r -> r.method.equals(m) && r.matches(p)).findFirst();
  }

  private boolean matches(String[] path) {
    if (path.length != segments.length) {
      return false;
    }
    for (int i = 0; i < path.length; i++) {
      boolean any = segments[i].equals("{id}") && !path[i].isEmpty();
      if (!any && !segments[i].equals(path[i])) {
        return false;
      }
    }
    return true;
  }
}
