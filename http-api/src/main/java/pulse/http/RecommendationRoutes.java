package pulse.http;

import static akka.http.javadsl.server.PathMatchers.segment;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RetryAfter;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;
import pulse.engine.common.Failures;
import pulse.engine.event.Item;
import pulse.engine.event.UserIds;
import pulse.engine.experiment.Assignment;
import pulse.engine.inference.RecommendOutcome;
import pulse.engine.inference.RecommendQuery;
import pulse.engine.metrics.PulseMetrics.FallbackReason;
import pulse.engine.recommend.OverloadedException;
import pulse.engine.recommend.RecommendationResult;
import pulse.engine.recommend.RecommendationService;

/**
 * {@code GET /v1/users/{id}/recommendations?k=10&excludeSeen=true&category=...&explain=false}.
 *
 * <p>Always 200 with a list (the model's, or the trending fallback with {@code fallback:
 * "trending"}), except: 400 for a bad parameter (naming it), 503 with Retry-After when this node's
 * inference queue is full.
 */
public final class RecommendationRoutes extends JsonSupport {
  private static final int MAX_CATEGORY_LENGTH = 256;

  private final RecommendationService service;

  public RecommendationRoutes(RecommendationService service) {
    this.service = service;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Item(String itemId, double score, List<RecommendOutcome.Reason> because) {}

  /**
   * {@code fallback}, {@code modelVersion}, {@code experiment} and {@code variant} are always
   * present (null when not applicable). {@code listId} names this answer: send it back as {@code
   * context.listId} with a click on one of its items.
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Answer(
      String userId,
      String listId,
      List<Item> items,
      String modelVersion,
      String fallback,
      FallbackReason fallbackReason,
      double tookMs,
      String experiment,
      String variant) {}

  /**
   * QA: serve this variant of the running experiment (the header, or the {@code variant} query).
   */
  public static final String VARIANT_HEADER = "X-Pulse-Variant";

  public Route routes() {
    return pathPrefix(
        segment("v1").slash("users"),
        () ->
            pathPrefix(
                userId ->
                    path(
                        "recommendations",
                        () ->
                            get(
                                () ->
                                    parameterOptional(
                                        "k",
                                        k ->
                                            parameterOptional(
                                                "excludeSeen",
                                                excludeSeen ->
                                                    parameterOptional(
                                                        "category",
                                                        category ->
                                                            parameterOptional(
                                                                "explain",
                                                                explain ->
                                                                    forcedVariant(
                                                                        variant ->
                                                                            recommend(
                                                                                userId,
                                                                                k,
                                                                                excludeSeen,
                                                                                category,
                                                                                explain,
                                                                                variant))))))))));
  }

  private Route forcedVariant(java.util.function.Function<Optional<String>, Route> inner) {
    return parameterOptional(
        "variant",
        query ->
            optionalHeaderValueByName(
                VARIANT_HEADER, header -> inner.apply(query.isPresent() ? query : header)));
  }

  private Route recommend(
      String userId,
      Optional<String> k,
      Optional<String> excludeSeen,
      Optional<String> category,
      Optional<String> explain,
      Optional<String> variant) {
    long started = System.nanoTime();
    Optional<String> badUserId = UserIds.problem(userId);
    if (badUserId.isPresent()) {
      return bad(badUserId.get(), "userId");
    }
    int count;
    try {
      count = Integer.parseInt(k.orElse("10"));
    } catch (NumberFormatException e) {
      return bad("k must be an integer between 1 and " + RecommendQuery.MAX_K, "k");
    }
    if (count < 1 || count > RecommendQuery.MAX_K) {
      return bad("k must be an integer between 1 and " + RecommendQuery.MAX_K, "k");
    }
    Boolean exclude = bool(excludeSeen, true);
    if (exclude == null) {
      return bad("excludeSeen must be true or false", "excludeSeen");
    }
    Boolean why = bool(explain, false);
    if (why == null) {
      return bad("explain must be true or false", "explain");
    }
    String cat = category.orElse(null);
    if (cat != null && (cat.isBlank() || cat.length() > MAX_CATEGORY_LENGTH)) {
      return bad("category must be 1-" + MAX_CATEGORY_LENGTH + " characters", "category");
    }
    Optional<Assignment> assignment;
    try {
      assignment = service.assign(userId, variant.orElse(null));
    } catch (IllegalArgumentException e) {
      return bad(e.getMessage(), "variant");
    }
    RecommendQuery query = new RecommendQuery(userId, count, exclude, cat, why);
    return onComplete(
        service.recommend(query, started, assignment),
        result -> {
          if (result.isSuccess()) {
            return json(StatusCodes.OK, toAnswer(userId, result.get()));
          }
          Throwable e = result.failed().get();
          Throwable cause = Failures.unwrapCompletion(e);
          if (cause instanceof OverloadedException o) {
            return respondWithHeader(
                RetryAfter.create(Math.max(1L, o.retryAfter().toSeconds())),
                () ->
                    json(
                        StatusCodes.SERVICE_UNAVAILABLE,
                        new ErrorBody("overloaded: " + o.getMessage(), null)));
          }
          return failWith(cause); // a 500 whose errorId is the request id (ApiErrors)
        });
  }

  private static Answer toAnswer(String userId, RecommendationResult r) {
    List<Item> items =
        r.items().stream().map(i -> new Item(i.itemId(), i.score(), i.because())).toList();
    return new Answer(
        userId,
        r.listId(),
        items,
        r.modelVersion(),
        r.fallback(),
        r.fallbackReason(),
        r.tookMs(),
        r.experiment(),
        r.variant());
  }

  private static Boolean bool(Optional<String> value, boolean dflt) {
    if (value.isEmpty()) {
      return dflt;
    }
    return switch (value.get()) {
      case "true" -> true;
      case "false" -> false;
      default -> null;
    };
  }

  private Route bad(String error, String field) {
    return json(StatusCodes.BAD_REQUEST, new ErrorBody(error, field));
  }
}
