package pulse.http;

import akka.http.javadsl.marshallers.jackson.Jackson;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** JSON in and out of the API: one ObjectMapper, records as objects, absent Optionals left out. */
public abstract class JsonSupport extends AllDirectives {
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new Jdk8Module())
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS) // instants as ISO-8601 text
          .setSerializationInclusion(JsonInclude.Include.NON_ABSENT)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  /** An error body every endpoint uses: what went wrong, and (for a bad input) which field. */
  public record ErrorBody(String error, String field) {}

  public Route json(StatusCode status, Object body) {
    return complete(status, body, Jackson.marshaller(MAPPER));
  }
}
