package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EndpointTemplateTest {
  @Test
  void idsBecomePlaceholdersAndUnknownPathsOneLabel() {
    assertEquals(
        "GET /v1/users/{id}/recommendations",
        EndpointTemplate.of("GET", "/v1/users/u-17/recommendations"));
    assertEquals("GET /v1/users/{id}/features", EndpointTemplate.of("GET", "/v1/users/x/features"));
    assertEquals("DELETE /v1/users/{id}", EndpointTemplate.of("DELETE", "/v1/users/x"));
    assertEquals("GET /v1/items/{id}", EndpointTemplate.of("GET", "/v1/items/sku-1"));
    assertEquals("POST /v1/items", EndpointTemplate.of("POST", "/v1/items"));
    assertEquals("POST /v1/events", EndpointTemplate.of("POST", "/v1/events"));
    assertEquals("GET /v1/model", EndpointTemplate.of("GET", "/v1/model"));
    assertEquals("GET /metrics", EndpointTemplate.of("GET", "/metrics"));
    assertEquals("other", EndpointTemplate.of("GET", "/v1/users/a/b/c"));
    assertEquals("other", EndpointTemplate.of("GET", "/wp-admin"));
  }
}
