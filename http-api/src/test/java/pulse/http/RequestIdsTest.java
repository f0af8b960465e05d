package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Every answer carries the request's id; every JSON error body and a 500's errorId carry it too.
 */
class RequestIdsTest extends JupiterRouteTest {
  private final Route routes =
      RequestIds.withRequestId(
          id ->
              handleExceptions(
                  ApiErrors.exceptions(id),
                  () ->
                      handleRejections(
                          ApiErrors.rejections(),
                          () ->
                              concat(
                                  path("fine", () -> get(() -> complete("fine"))),
                                  path(
                                      "echo",
                                      () -> headerValueByName(RequestIds.HEADER, v -> complete(v))),
                                  path(
                                      "boom",
                                      () ->
                                          get(
                                              () -> {
                                                throw new IllegalStateException("secret detail");
                                              }))))));

  private static JsonNode json(String body) throws Exception {
    return JsonSupport.MAPPER.readTree(body);
  }

  @Test
  void aSaneClientIdIsKeptAndEchoedToTheRoutesInside() {
    testRoute(routes)
        .run(HttpRequest.GET("/echo").addHeader(RawHeader.create("X-Request-Id", "lb-42.a")))
        .assertStatusCode(StatusCodes.OK)
        .assertHeaderExists("X-Request-Id", "lb-42.a")
        .assertEntity("lb-42.a");
  }

  @Test
  void anInsaneOrMissingIdIsReplacedByANewOne() {
    String given = "bad id with spaces";
    var r =
        testRoute(routes)
            .run(HttpRequest.GET("/echo").addHeader(RawHeader.create("X-Request-Id", given)));
    String id = r.entityString();
    assertNotEquals(given, id);
    assertTrue(id.matches("[0-9a-f]{16}"), id);
    String other = testRoute(routes).run(HttpRequest.GET("/echo")).entityString();
    assertNotEquals(id, other);
  }

  @Test
  void errorBodiesCarryTheRequestIdAndA500sErrorIdIsIt() throws Exception {
    var missing =
        testRoute(routes)
            .run(HttpRequest.GET("/nowhere").addHeader(RawHeader.create("X-Request-Id", "r-1")));
    missing.assertStatusCode(StatusCodes.NOT_FOUND);
    assertEquals("r-1", json(missing.entityString()).get("requestId").asText());
    var boom =
        testRoute(routes)
            .run(HttpRequest.GET("/boom").addHeader(RawHeader.create("X-Request-Id", "r-2")));
    boom.assertStatusCode(StatusCodes.INTERNAL_SERVER_ERROR);
    JsonNode body = json(boom.entityString());
    assertEquals("r-2", body.get("errorId").asText());
    assertEquals("r-2", body.get("requestId").asText());
    assertTrue(!boom.entityString().contains("secret detail"), boom.entityString());
  }
}
