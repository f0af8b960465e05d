package pulse.engine.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;

/**
 * Raw bytes/text to a JSON tree, and the batch rules shared by events and items. Bad JSON never
 * throws: it becomes one error on "$".
 */
final class JsonInput {

  // Trailing garbage ("{...}xyz") is a malformed record, not a valid one with noise after it.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private JsonInput() {}

  /** The parsed tree, or the reason it could not be parsed. */
  sealed interface Tree permits Parsed, Malformed {
    <T> ParseResult<T> single(Function<JsonNode, ParseResult<T>> parser);

    <T> BatchParseResult<T> batch(Function<JsonNode, BatchParseResult<T>> parser);
  }

  record Parsed(JsonNode node) implements Tree {
    @Override
    public <T> ParseResult<T> single(Function<JsonNode, ParseResult<T>> parser) {
      return parser.apply(node);
    }

    @Override
    public <T> BatchParseResult<T> batch(Function<JsonNode, BatchParseResult<T>> parser) {
      return parser.apply(node);
    }
  }

  record Malformed(FieldError error) implements Tree {
    @Override
    public <T> ParseResult<T> single(Function<JsonNode, ParseResult<T>> parser) {
      return new ParseResult.Invalid<>(List.of(error));
    }

    @Override
    public <T> BatchParseResult<T> batch(Function<JsonNode, BatchParseResult<T>> parser) {
      return new BatchParseResult.Rejected<>(error);
    }
  }

  static Tree read(byte[] json) {
    if (json == null || json.length == 0) {
      return empty();
    }
    try {
      return wrap(MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      return malformed(e);
    } catch (IOException e) {
      return new Malformed(
          new FieldError(FieldError.WHOLE_INPUT, "unreadable input: " + e.getMessage()));
    }
  }

  static Tree read(String json) {
    if (json == null || json.isEmpty()) {
      return empty();
    }
    try {
      return wrap(MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      return malformed(e);
    }
  }

  static <T> BatchParseResult<T> batch(
      JsonNode node, int maxBatchSize, Function<JsonNode, ParseResult<T>> element) {
    if (node == null || !node.isArray()) {
      return new BatchParseResult.Rejected<>(
          new FieldError(FieldError.WHOLE_INPUT, "must be a JSON array"));
    }
    if (node.size() > maxBatchSize) {
      return new BatchParseResult.Rejected<>(
          new FieldError(
              FieldError.WHOLE_INPUT,
              "batch has " + node.size() + " elements; at most " + maxBatchSize + " allowed"));
    }
    ParseResult<?>[] results = new ParseResult<?>[node.size()];
    for (int i = 0; i < results.length; i++) {
      results[i] = element.apply(node.get(i));
    }
    @SuppressWarnings("unchecked")
    List<ParseResult<T>> typed = (List<ParseResult<T>>) (List<?>) List.of(results);
    return new BatchParseResult.PerElement<>(typed);
  }

  private static Tree wrap(JsonNode node) {
    // Jackson answers a whitespace-only input with a MissingNode (or null) instead of an error.
    return node == null || node.isMissingNode() ? empty() : new Parsed(node);
  }

  private static Tree empty() {
    return new Malformed(new FieldError(FieldError.WHOLE_INPUT, "malformed JSON: empty input"));
  }

  private static Tree malformed(JsonProcessingException e) {
    return new Malformed(
        new FieldError(FieldError.WHOLE_INPUT, "malformed JSON: " + e.getOriginalMessage()));
  }
}
