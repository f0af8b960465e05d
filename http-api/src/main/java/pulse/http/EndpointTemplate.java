package pulse.http;

import pulse.http.auth.ApiRoute;

/**
 * The metrics label of a request: its method and the route template it matches, never the raw path
 * (every distinct label value is a time series the node keeps, and user and item ids are
 * unbounded): a route of the table ({@link ApiRoute}), or "other" for whatever is not one (404s,
 * 405s).
 */
final class EndpointTemplate {
  private EndpointTemplate() {}

  static String of(String method, String path) {
    return ApiRoute.match(method, path).map(r -> method + " " + r.template()).orElse("other");
  }
}
