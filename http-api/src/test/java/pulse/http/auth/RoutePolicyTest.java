package pulse.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutePolicyTest {
  private final RoutePolicy policy =
      new RoutePolicy(Set.of("/health", "/ready", "/metrics", "/openapi.yaml"));

  @Test
  void everyRouteHasItsRole() {
    assertEquals(Optional.of(Role.INGEST), policy.needed("POST", "/v1/events"));
    assertEquals(Optional.of(Role.READ), policy.needed("GET", "/v1/users/u1/recommendations"));
    assertEquals(Optional.of(Role.READ), policy.needed("GET", "/v1/users/u1/features"));
    assertEquals(Optional.of(Role.READ), policy.needed("GET", "/v1/items/sku-1"));
    assertEquals(Optional.of(Role.READ), policy.needed("GET", "/v1/model"));
    assertEquals(Optional.of(Role.ADMIN), policy.needed("POST", "/v1/items"));
    assertEquals(Optional.of(Role.ADMIN), policy.needed("POST", "/v1/model/pause"));
    assertEquals(Optional.of(Role.ADMIN), policy.needed("POST", "/v1/model/resume"));
    assertEquals(Optional.of(Role.ADMIN), policy.needed("POST", "/v1/model/rollback"));
    assertEquals(Optional.of(Role.ADMIN), policy.needed("DELETE", "/v1/users/u1"));
  }

  @Test
  void probesAndScrapesAreOpen() {
    for (String p : Set.of("/health", "/ready", "/metrics", "/openapi.yaml")) {
      assertEquals(Optional.empty(), policy.needed("GET", p), p);
    }
  }

  @Test
  void anUnknownPathIsClosedReadForGetsAdminForTheRest() {
    assertEquals(Optional.of(Role.READ), policy.needed("GET", "/v1/no-such-route"));
    assertEquals(Optional.of(Role.READ), policy.needed("GET", "/health/../v1/users/x/features"));
    assertEquals(Optional.of(Role.ADMIN), policy.needed("PUT", "/v1/events"));
    assertEquals(Optional.of(Role.ADMIN), policy.needed("POST", "/v1/experiments"));
    assertEquals(Optional.of(Role.ADMIN), policy.needed("DELETE", "/v1/users/u1/features"));
  }
}
