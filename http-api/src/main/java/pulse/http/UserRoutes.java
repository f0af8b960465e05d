package pulse.http;

import static akka.http.javadsl.server.PathMatchers.segment;

import akka.Done;
import akka.http.javadsl.model.MediaType;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import akka.util.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import pulse.engine.event.UserEvent;
import pulse.engine.event.UserIds;
import pulse.engine.ingest.BatchParseResult;
import pulse.engine.ingest.EventIngest;
import pulse.engine.ingest.EventParser;
import pulse.engine.ingest.FieldError;
import pulse.engine.ingest.ParseResult;
import pulse.engine.metrics.PulseMetrics;
import pulse.engine.user.FeatureView;
import pulse.engine.user.Users;

/**
 * {@code POST /v1/events}, {@code GET /v1/users/{id}/features}, {@code DELETE /v1/users/{id}}.
 *
 * <p>Ingest answers 202 only after every accepted event is persisted. A bad event never sinks the
 * good ones: it is listed with the field at fault. If some user's events could not be persisted
 * (e.g. Cassandra is down) the answer is 503 with Retry-After, naming them; retrying the whole
 * batch is safe because events already persisted are recognised by their eventId.
 */
public final class UserRoutes extends JsonSupport {

  private final Users users;
  private final EventIngest ingest;
  private final RetryAfterPolicy retryAfter;
  private final EventParser parser;
  private final PulseMetrics metrics;
  private final long maxEventsBody;
  private final Function<String, CompletionStage<Done>> forget;

  /**
   * {@code maxEventsBody}: the most bytes a POST /v1/events body may have (413 beyond); {@code
   * forget}: forgets a user everywhere the node holds them ({@code PulseEngine#forget}).
   */
  public UserRoutes(
      Users users,
      Function<String, CompletionStage<Done>> forget,
      EventIngest ingest,
      EventParser parser,
      RetryAfterPolicy retryAfter,
      PulseMetrics metrics,
      long maxEventsBody) {
    this.metrics = metrics;
    this.maxEventsBody = maxEventsBody;
    this.forget = forget;
    this.users = users;
    this.ingest = ingest;
    this.parser = parser;
    this.retryAfter = retryAfter;
  }

  public record Rejected(int index, String eventId, List<FieldError> errors) {}

  public record Failed(int index, String eventId, String reason) {}

  public record IngestAnswer(
      int received, int accepted, int duplicates, List<Rejected> rejected, List<Failed> failed) {}

  public record FeaturesAnswer(String userId, FeatureView features) {}

  public record Forgotten(String userId, boolean forgotten) {}

  public Route routes() {
    return concat(
        path(segment("v1").slash("events"), () -> post(() -> eventsBody(this::ingest))),
        pathPrefix(
            segment("v1").slash("users"),
            () ->
                pathPrefix(
                    userId ->
                        concat(
                            path(
                                "features",
                                () ->
                                    get(
                                        () ->
                                            parameterOptional(
                                                "at",
                                                at ->
                                                    withValidUserId(
                                                        userId, () -> features(userId, at))))),
                            pathEnd(
                                () ->
                                    delete(
                                        () -> withValidUserId(userId, () -> forget(userId))))))));
  }

  /**
   * The events body, once it is known to be JSON (415 otherwise; no Content-Type is taken as JSON)
   * and no larger than {@code maxEventsBody}: 413 before reading a byte when the client declared a
   * larger Content-Length, and as soon as a streamed body passes the limit otherwise.
   */
  private Route eventsBody(Function<ByteString, Route> inner) {
    return extractRequestEntity(
        entity -> {
          MediaType type = entity.getContentType().mediaType();
          if (!type.equals(MediaTypes.APPLICATION_JSON)
              && !type.equals(MediaTypes.APPLICATION_OCTET_STREAM)) {
            return json(
                StatusCodes.UNSUPPORTED_MEDIA_TYPE,
                new ErrorBody(
                    "events are JSON: send Content-Type: application/json, not " + type,
                    "Content-Type"));
          }
          OptionalLong declared = entity.getContentLengthOption();
          if (declared.isPresent() && declared.getAsLong() > maxEventsBody) {
            return json(
                StatusCodes.PAYLOAD_TOO_LARGE,
                new ErrorBody(
                    "the body has "
                        + declared.getAsLong()
                        + " bytes; POST /v1/events takes at most "
                        + maxEventsBody
                        + " (pulse.http.limits.events-body): send fewer events per request",
                    FieldError.WHOLE_INPUT));
          }
          return withSizeLimit(
              maxEventsBody, () -> entity(Unmarshaller.entityToByteString(), inner));
        });
  }

  private Route withValidUserId(String userId, Supplier<Route> inner) {
    return UserIds.problem(userId)
        .map(problem -> json(StatusCodes.BAD_REQUEST, new ErrorBody(problem, "userId")))
        .orElseGet(inner);
  }

  private Route ingest(ByteString body) {
    BatchParseResult<UserEvent> parsed = parser.parseBatch(body.toArray());
    if (parsed instanceof BatchParseResult.Rejected<UserEvent> r) {
      return json(StatusCodes.BAD_REQUEST, new ErrorBody(r.error().reason(), r.error().field()));
    }
    List<ParseResult<UserEvent>> results =
        ((BatchParseResult.PerElement<UserEvent>) parsed).results();
    List<Rejected> rejected = new ArrayList<>();
    List<UserEvent> valid = new ArrayList<>();
    Map<UserEvent, Integer> indexOf = new HashMap<>();
    for (int i = 0; i < results.size(); i++) {
      ParseResult<UserEvent> r = results.get(i);
      if (r instanceof ParseResult.Valid<UserEvent> v) {
        valid.add(v.value());
        indexOf.putIfAbsent(v.value(), i);
      } else if (r instanceof ParseResult.Invalid<UserEvent> inv) {
        rejected.add(new Rejected(i, null, inv.errors()));
      }
    }
    if (valid.isEmpty()) {
      return json(
          StatusCodes.BAD_REQUEST, new IngestAnswer(results.size(), 0, 0, rejected, List.of()));
    }
    return onSuccess(
        ingest.ingest(valid),
        outcomes -> {
          int accepted = 0;
          int duplicates = 0;
          List<Failed> failed = new ArrayList<>();
          for (EventIngest.UserOutcome o : outcomes) {
            accepted += o.accepted();
            duplicates += o.duplicates();
            if (!o.persisted()) {
              o.events()
                  .forEach(
                      e ->
                          failed.add(
                              new Failed(
                                  indexOf.get(e), e.eventId(), "not persisted: " + o.failure())));
            }
          }
          metrics.eventsIngested(PulseMetrics.SOURCE_HTTP, accepted);
          IngestAnswer answer =
              new IngestAnswer(results.size(), accepted, duplicates, rejected, failed);
          if (!failed.isEmpty()) {
            return respondWithHeader(
                retryAfter.header(), () -> json(StatusCodes.SERVICE_UNAVAILABLE, answer));
          }
          return json(StatusCodes.ACCEPTED, answer);
        });
  }

  /**
   * {@code ?at=<epoch millis>} evaluates the windows, decay and recency at that instant instead of
   * now.
   */
  private Route features(String userId, Optional<String> at) {
    Long atMillis = null;
    if (at.isPresent()) {
      try {
        atMillis = Long.parseLong(at.get());
      } catch (NumberFormatException e) {
        return json(StatusCodes.BAD_REQUEST, new ErrorBody("at must be epoch milliseconds", "at"));
      }
    }
    return answer(
        users.features(userId, atMillis),
        view ->
            view.map(v -> json(StatusCodes.OK, new FeaturesAnswer(userId, v)))
                .orElseGet(
                    () ->
                        json(
                            StatusCodes.NOT_FOUND,
                            new ErrorBody("no events for user " + userId, "userId"))));
  }

  private Route forget(String userId) {
    return answer(forget.apply(userId), done -> json(StatusCodes.OK, new Forgotten(userId, true)));
  }

  /** A user actor's answer: its value, or 503 if it did not answer in time. */
  private <T> Route answer(CompletionStage<T> reply, Function<T, Route> ok) {
    return onComplete(
        reply,
        result -> {
          if (result.isSuccess()) {
            return ok.apply(result.get());
          }
          Throwable e = result.failed().get();
          boolean timedOut =
              e instanceof TimeoutException || e.getCause() instanceof TimeoutException;
          Route unavailable =
              respondWithHeader(
                  retryAfter.header(),
                  () ->
                      json(
                          StatusCodes.SERVICE_UNAVAILABLE,
                          new ErrorBody(
                              timedOut
                                  ? "the user's actor did not answer in time"
                                  : "the user's actor could not answer; try again",
                              null)));
          if (timedOut) {
            return unavailable;
          }
          return extractLog(
              log -> {
                log.warning("a user actor's answer failed: {}", e.toString());
                return unavailable;
              });
        });
  }
}
