package pulse.http;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.stream.StreamLimitReachedException;
import akka.util.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import pulse.engine.catalog.ItemCatalog;
import pulse.engine.common.Failures;
import pulse.engine.event.Item;
import pulse.engine.ingest.BatchParseResult;
import pulse.engine.ingest.FieldError;
import pulse.engine.ingest.ItemParser;
import pulse.engine.ingest.ParseResult;
import pulse.engine.ingest.ValidationLimits;

/**
 * The item catalog over HTTP.
 *
 * <p>{@code POST /v1/items}: a JSON array of up to {@link ValidationLimits#maxBatchSize()} items,
 * each upserted whole. Every element is validated on its own; the valid ones are written and the
 * answer, 200 {@code {"accepted": n, "rejected": [{"index": i, "errors": [{"field", "reason"}]}]}},
 * comes only once they are in Cassandra. A body that is not a JSON array, has too many elements or
 * is larger than {@link #MAX_BODY_BYTES} is refused as a whole: 400 {@code {"error", "field":
 * "$"}}. 503 when Cassandra could not take the writes (some items may have been written; repeating
 * the request is safe).
 *
 * <p>{@code GET /v1/items/{id}}: 200 with the item, 404 when there is none, 503 when Cassandra
 * cannot be read.
 */
public final class ItemRoutes extends JsonSupport {
  /**
   * 1,000 ordinary items take well under 1 MiB; this leaves room for long titles and many
   * attributes.
   */
  public static final long MAX_BODY_BYTES = 8L * 1024 * 1024;

  private static final Duration BODY_READ_TIMEOUT = Duration.ofSeconds(10);

  private final ItemCatalog catalog;
  private final ItemParser parser;
  private final int maxIdLength;

  public ItemRoutes(ItemCatalog catalog) {
    this(catalog, ValidationLimits.DEFAULTS);
  }

  public ItemRoutes(ItemCatalog catalog, ValidationLimits limits) {
    this.catalog = catalog;
    this.parser = new ItemParser(limits);
    this.maxIdLength = limits.maxIdLength();
  }

  public record RejectedItem(int index, List<FieldError> errors) {}

  public record UpsertResult(int accepted, List<RejectedItem> rejected) {}

  public Route routes() {
    return pathPrefix(
        "v1",
        () ->
            pathPrefix(
                "items",
                () ->
                    concat(
                        pathEndOrSingleSlash(() -> post(this::upsert)),
                        path(
                            PathMatchers.segment(), id -> pathEnd(() -> get(() -> getItem(id)))))));
  }

  private Route upsert() {
    // withSizeLimit replaces the server-wide limit for this route; limitWeighted also bounds a body
    // sent without a
    // Content-Length. Either way an oversized body is cut off while it streams in, never buffered
    // whole.
    return withSizeLimit(
        MAX_BODY_BYTES,
        () ->
            extractMaterializer(
                mat ->
                    extractRequestEntity(
                        entity ->
                            onComplete(
                                entity
                                    .getDataBytes()
                                    .limitWeighted(MAX_BODY_BYTES, chunk -> (long) chunk.size())
                                    .completionTimeout(BODY_READ_TIMEOUT)
                                    .runFold(ByteString.emptyByteString(), ByteString::concat, mat),
                                body -> {
                                  if (body.isFailure()) {
                                    return unreadableBody(body.failed().get());
                                  }
                                  return upsert(parser.parseBatch(body.get().toArray()));
                                }))));
  }

  private Route upsert(BatchParseResult<Item> parsed) {
    if (parsed instanceof BatchParseResult.Rejected<Item> whole) {
      return json(
          StatusCodes.BAD_REQUEST, new ErrorBody(whole.error().reason(), whole.error().field()));
    }
    List<ParseResult<Item>> results = ((BatchParseResult.PerElement<Item>) parsed).results();
    List<Item> valid = new ArrayList<>();
    List<RejectedItem> rejected = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      ParseResult<Item> r = results.get(i);
      if (r instanceof ParseResult.Valid<Item> v) {
        valid.add(v.value());
      } else {
        rejected.add(new RejectedItem(i, ((ParseResult.Invalid<Item>) r).errors()));
      }
    }
    UpsertResult answer = new UpsertResult(valid.size(), rejected);
    if (valid.isEmpty()) {
      return json(StatusCodes.OK, answer);
    }
    return onComplete(
        catalog.upsert(valid),
        written ->
            written.isSuccess()
                ? json(StatusCodes.OK, answer)
                : storeUnavailable("cannot write items", written.failed().get()));
  }

  private Route getItem(String itemId) {
    if (itemId.length() > maxIdLength) {
      return json(
          StatusCodes.BAD_REQUEST,
          new ErrorBody(
              "must be at most " + maxIdLength + " characters, was " + itemId.length(), "itemId"));
    }
    return onComplete(
        catalog.get(itemId),
        item -> {
          if (item.isFailure()) {
            return storeUnavailable("cannot read item", item.failed().get());
          }
          return item.get()
              .map(found -> json(StatusCodes.OK, found))
              .orElseGet(
                  () ->
                      json(
                          StatusCodes.NOT_FOUND,
                          new ErrorBody("no item with itemId '" + itemId + "'", "itemId")));
        });
  }

  private Route unreadableBody(Throwable error) {
    Throwable cause = Failures.unwrapCompletion(error);
    if (cause instanceof EntityStreamSizeException
        || cause instanceof StreamLimitReachedException) {
      return json(
          StatusCodes.BAD_REQUEST,
          new ErrorBody("body larger than " + MAX_BODY_BYTES + " bytes", FieldError.WHOLE_INPUT));
    }
    return json(StatusCodes.BAD_REQUEST, new ErrorBody("unreadable body", FieldError.WHOLE_INPUT));
  }

  private Route storeUnavailable(String what, Throwable error) {
    Throwable cause = Failures.unwrapCompletion(error);
    return extractLog(
        log -> {
          log.warning("{}: {}", what, cause.toString());
          return json(
              StatusCodes.SERVICE_UNAVAILABLE,
              new ErrorBody(what + ": the catalog store is unavailable; try again", null));
        });
  }
}
