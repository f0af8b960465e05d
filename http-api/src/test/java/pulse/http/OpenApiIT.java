package pulse.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.http.TestClient.Response;
import pulse.http.auth.ApiRoute;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;

/**
 * The OpenAPI document against a running node, both ways: every operation it names is a route
 * (answers something other than Akka's "no such route" 404 or a 405), answers a status the document
 * lists for it, with top-level fields the document's schema has; and every route of the route table
 * ({@link ApiRoute}) is in the document with the same role.
 */
@ExtendWith(RealInfraExtension.class)
class OpenApiIT {
  /** Akka's text for a path no route takes, as ApiErrors passes it on. */
  private static final String NO_ROUTE = "The requested resource could not be found.";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static PulseNode node;
  private static TestClient admin;
  private static JsonNode document;

  @BeforeAll
  static void start(RealInfra infra) throws Exception {
    node = PulseNode.start(infra.testNodeConfig(com.typesafe.config.ConfigFactory.empty()));
    admin = TestClient.of(node.httpPort());
    admin.awaitReady(Duration.ofSeconds(90));
    document = YAML.readTree(OpenApiRoutes.load());
  }

  @AfterAll
  static void stop() throws Exception {
    node.awaitStopped(Duration.ofSeconds(60));
  }

  /** One operation of the document: method (upper case), path template, its node. */
  private record Operation(String method, String path, JsonNode spec) {
    String concretePath() {
      return path.replace("{id}", "openapi-probe");
    }
  }

  private static List<Operation> operations() {
    List<Operation> all = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        if (!op.getKey().equals("parameters")) {
          all.add(
              new Operation(op.getKey().toUpperCase(Locale.ROOT), path.getKey(), op.getValue()));
        }
      }
    }
    return all;
  }

  private static JsonNode resolve(JsonNode node) {
    JsonNode n = node;
    while (n != null && n.has("$ref")) {
      n = document.at(n.get("$ref").asText().substring(1));
    }
    return n;
  }

  @Test
  void theDocumentIsOpenApi31AndServedWithoutAKey() throws Exception {
    assertEquals("3.1.0", document.get("openapi").asText());
    Response r = admin.withKey(null).get("/openapi.yaml");
    assertEquals(200, r.status());
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/yaml"),
        r.headers().toString());
    assertArrayEquals(OpenApiRoutes.load(), r.body().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void everyRouteOfTheTableIsDocumentedWithItsRole() {
    for (ApiRoute route : ApiRoute.values()) {
      JsonNode op =
          document
              .path("paths")
              .path(route.template())
              .path(route.method().toLowerCase(Locale.ROOT));
      assertTrue(op.isObject(), route + " (" + route.method() + " " + route.template() + ")");
      assertEquals(
          route.role().map(r -> r.name().toLowerCase(Locale.ROOT)).orElse("none"),
          op.path("x-pulse-role").asText(),
          route.toString());
    }
  }

  @Test
  void everyDocumentedOperationIsARouteAnsweringADocumentedStatusAndFields() throws Exception {
    for (Operation op : operations()) {
      Optional<ApiRoute> route = ApiRoute.match(op.method(), op.concretePath());
      assertTrue(route.isPresent(), op.method() + " " + op.path() + " is not in the route table");
      Response r = probe(op);
      String what = op.method() + " " + op.path() + " answered " + r;
      assertTrue(r.status() != 405, what);
      assertTrue(r.status() != 404 || !r.body().contains(NO_ROUTE), what);
      JsonNode answer = resolve(op.spec().path("responses").path(Integer.toString(r.status())));
      assertTrue(answer != null && !answer.isMissingNode(), what + ": status not documented");
      JsonNode schema = resolve(answer.path("content").path("application/json").path("schema"));
      if (schema != null && schema.has("properties") && r.body().startsWith("{")) {
        for (Iterator<String> fields = r.json().fieldNames(); fields.hasNext(); ) {
          String field = fields.next();
          assertTrue(
              schema.get("properties").has(field), what + ": field " + field + " not documented");
        }
      }
    }
  }

  /** A harmless request of the operation, with the admin key (which may call everything). */
  private static Response probe(Operation op) throws Exception {
    HttpRequest.Builder request = admin.request(op.concretePath());
    HttpRequest.BodyPublisher body =
        HttpRequest.BodyPublishers.ofString(
            op.path().equals("/v1/model/rollback") ? "{\"version\":\"openapi-probe\"}" : "[]");
    return switch (op.method()) {
      case "GET" -> admin.send(request.GET());
      case "DELETE" -> admin.send(request.DELETE());
      default ->
          admin.send(request.header("Content-Type", "application/json").method(op.method(), body));
    };
  }
}
