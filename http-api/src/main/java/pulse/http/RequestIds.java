package pulse.http;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every request's id: the client's {@code X-Request-Id} when it sends a sane one (a load balancer
 * or an app tracing its calls), else a new random one. It goes back in the response's {@code
 * X-Request-Id}, into every JSON error body as {@code requestId} (a 500's {@code errorId} is the
 * same id), onto the request for the routes inside (the audit log names it), and into the log lines
 * the HTTP layer writes about the request.
 */
final class RequestIds {
  static final String HEADER = "X-Request-Id";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private RequestIds() {}

  /** The id of {@code request}: its own header when sane, else a new one. */
  static String of(HttpRequest request) {
    return request
        .getHeader(HEADER)
        .map(h -> h.value())
        .filter(v -> SANE.matcher(v).matches())
        .orElseGet(RequestIds::next);
  }

  static String next() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Runs {@code inner} with the request's id set on the request, the response and its errors. */
  static Route withRequestId(Function<String, Route> inner) {
    return Directives.extractRequest(
        request -> {
          String id = of(request);
          return Directives.mapRequest(
              r -> r.removeHeader(HEADER).addHeader(RawHeader.create(HEADER, id)),
              () ->
                  Directives.respondWithHeader(
                      RawHeader.create(HEADER, id),
                      () -> Directives.mapResponse(r -> tagged(r, id), () -> inner.apply(id))));
        });
  }

  /** A JSON error object gets {@code requestId}; any other response is left as it is. */
  static HttpResponse tagged(HttpResponse response, String id) {
    if (response.status().intValue() < 400
        || !(response.entity() instanceof HttpEntity.Strict strict)
        || !strict.getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
      return response;
    }
    try {
      JsonNode body = JsonSupport.MAPPER.readTree(strict.getData().utf8String());
      if (!(body instanceof ObjectNode object) || object.has("requestId")) {
        return response;
      }
      object.put("requestId", id);
      return response.withEntity(ContentTypes.APPLICATION_JSON, object.toString());
    } catch (Exception notJson) {
      return response;
    }
  }
}
