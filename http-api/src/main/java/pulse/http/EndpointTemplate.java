package pulse.http;

/**
 * The metrics label of a request: its method and the route template it matches, never the raw path
 * (every distinct label value is a time series the node keeps, and user and item ids are
 * unbounded).
 */
final class EndpointTemplate {
  private EndpointTemplate() {}

  static String of(String method, String path) {
    String[] p =
        path.split("/", -1); // "/v1/users/u1/features" -> ["", "v1", "users", "u1", "features"]
    String template;
    if (p.length == 2
        && (p[1].equals("health") || p[1].equals("ready") || p[1].equals("metrics"))) {
      template = path;
    } else if (p.length >= 3 && p[1].equals("v1")) {
      template =
          switch (p[2]) {
            case "events", "model" -> p.length == 3 ? "/v1/" + p[2] : "other";
            case "items" ->
                p.length == 3 ? "/v1/items" : p.length == 4 ? "/v1/items/{id}" : "other";
            case "users" ->
                p.length == 4
                    ? "/v1/users/{id}"
                    : p.length == 5 && (p[4].equals("features") || p[4].equals("recommendations"))
                        ? "/v1/users/{id}/" + p[4]
                        : "other";
            default -> "other";
          };
    } else {
      template = "other";
    }
    return template.equals("other") ? "other" : method + " " + template;
  }
}
