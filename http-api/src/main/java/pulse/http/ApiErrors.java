package pulse.http;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.scaladsl.model.EntityStreamSizeException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error the API gives is JSON, as the routes' own are: Akka's rejections (404 for an unknown
 * path, 405 for a method a path does not take, ...) keep their status and text, as {@code {"error":
 * ...}}; a body over its route's limit is a 413; anything unexpected is a 500 with an error id that
 * the log line carries too, never the exception's text (which can name classes, hosts and queries).
 */
final class ApiErrors {
  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  static RejectionHandler rejections() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(ApiErrors::asJson);
  }

  static ExceptionHandler exceptions() {
    return exceptions(RequestIds.next());
  }

  /** The handler for one request: a 500's errorId is the request's id. */
  static ExceptionHandler exceptions(String requestId) {
    return ExceptionHandler.newBuilder()
        .match(
            EntityStreamSizeException.class,
            e ->
                Directives.complete(
                    response(
                        StatusCodes.PAYLOAD_TOO_LARGE,
                        body(
                            "the body is larger than this route takes (" + e.limit() + " bytes)"))))
        .matchAny(e -> Directives.complete(internalError(e, requestId)))
        .build();
  }

  /** A 500 whose id (the request's) the log line that explains it carries too. */
  static HttpResponse internalError(Throwable e, String id) {
    log.error("error id {}: unexpected failure answering a request", id, e);
    ObjectNode body = body("internal error; the node's log has the details under errorId");
    body.put("errorId", id);
    return response(StatusCodes.INTERNAL_SERVER_ERROR, body);
  }

  private static ObjectNode body(String why) {
    ObjectNode body = JsonSupport.MAPPER.createObjectNode();
    body.put("error", why);
    return body;
  }

  private static HttpResponse response(StatusCode status, ObjectNode body) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(ContentTypes.APPLICATION_JSON, body.toString());
  }

  private static HttpResponse asJson(HttpResponse r) {
    if (r.entity() instanceof HttpEntity.Strict s
        && s.getContentType().mediaType().equals(MediaTypes.TEXT_PLAIN)) {
      return r.withEntity(ContentTypes.APPLICATION_JSON, body(s.getData().utf8String()).toString());
    }
    return r;
  }
}
