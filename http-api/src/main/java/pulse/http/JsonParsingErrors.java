package pulse.http;

import akka.event.LoggingAdapter;
import akka.http.ParsingErrorHandler;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpResponse;
import akka.http.scaladsl.model.ErrorInfo;
import akka.http.scaladsl.model.StatusCode;
import akka.http.scaladsl.settings.ServerSettings;

/**
 * Requests too malformed to reach a route (a URI over akka.http.server.parsing.max-uri-length: 414;
 * too many or too long headers: 431; a bad request line: 400) get the API's JSON error body too,
 * with Akka's one-line summary and never the request's own bytes. Named by {@code
 * akka.http.server.parsing.error-handler} (conf/http.conf).
 */
public final class JsonParsingErrors extends ParsingErrorHandler {
  @Override
  public HttpResponse handle(
      StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    log.warning("refused a malformed request: {} ({})", status, info.summary());
    String body = JsonSupport.MAPPER.createObjectNode().put("error", info.summary()).toString();
    return HttpResponse.create()
        .withStatus(status.intValue())
        .withEntity(ContentTypes.APPLICATION_JSON, body);
  }
}
