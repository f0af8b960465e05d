package pulse.engine.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pulse.engine.event.Item;

/**
 * Validates catalog items ({@code POST /v1/items}) in the same style as {@link EventParser}: every
 * broken rule is reported with its field, unknown fields are rejected, nothing throws. {@code
 * available} defaults to true; attribute values may be strings, numbers or booleans and are kept as
 * text.
 */
public final class ItemParser {

  private static final Set<String> ITEM_FIELDS =
      Set.of("itemId", "title", "categories", "brand", "price", "available", "attributes");

  private final ValidationLimits limits;

  public ItemParser(ValidationLimits limits) {
    this.limits = limits;
  }

  public ItemParser() {
    this(ValidationLimits.DEFAULTS);
  }

  public ParseResult<Item> parse(byte[] json) {
    return JsonInput.read(json).single(this::parse);
  }

  public ParseResult<Item> parse(String json) {
    return JsonInput.read(json).single(this::parse);
  }

  public BatchParseResult<Item> parseBatch(byte[] json) {
    return JsonInput.read(json).batch(this::parseBatch);
  }

  public BatchParseResult<Item> parseBatch(String json) {
    return JsonInput.read(json).batch(this::parseBatch);
  }

  public BatchParseResult<Item> parseBatch(JsonNode array) {
    return JsonInput.batch(array, limits.maxBatchSize(), this::parse);
  }

  public ParseResult<Item> parse(JsonNode node) {
    if (node == null || !node.isObject()) {
      return ParseResult.Invalid.of(FieldError.WHOLE_INPUT, "item must be a JSON object");
    }
    JsonFieldReader in = JsonFieldReader.root(node);
    in.rejectUnknownFields(ITEM_FIELDS);

    String itemId = in.requiredId("itemId", limits.maxIdLength());
    String title = in.optionalText("title", limits.maxTextLength());
    List<String> categories = readCategories(in);
    String brand = in.optionalText("brand", limits.maxTextLength());
    Double price = in.optionalNonNegativeNumber("price");
    boolean available = readAvailable(in);
    Map<String, String> attributes = readAttributes(in);

    if (in.hasErrors()) {
      return new ParseResult.Invalid<>(in.errors());
    }
    return new ParseResult.Valid<>(
        new Item(itemId, title, categories, brand, price, available, attributes));
  }

  private List<String> readCategories(JsonFieldReader in) {
    JsonNode node = in.present("categories");
    if (node == null) {
      return List.of();
    }
    if (!node.isArray()) {
      in.reject("categories", "must be an array of strings");
      return List.of();
    }
    if (node.size() > limits.maxItemCategories()) {
      in.reject(
          "categories",
          "must have at most " + limits.maxItemCategories() + " entries, had " + node.size());
      return List.of();
    }
    // Duplicates are dropped, not rejected: they carry no extra meaning and would double-count
    // affinity.
    Set<String> categories = new LinkedHashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode c = node.get(i);
      String field = "categories[" + i + "]";
      if (!c.isTextual()) {
        in.reject(field, "must be a string");
      } else if (c.textValue().isBlank()) {
        in.reject(field, "must not be blank");
      } else if (c.textValue().length() > limits.maxIdLength()) {
        in.reject(
            field,
            "must be at most "
                + limits.maxIdLength()
                + " characters, was "
                + c.textValue().length());
      } else {
        categories.add(c.textValue());
      }
    }
    return new ArrayList<>(categories);
  }

  private static boolean readAvailable(JsonFieldReader in) {
    JsonNode node = in.present("available");
    if (node == null) {
      return true;
    }
    if (!node.isBoolean()) {
      in.reject("available", "must be true or false");
      return true;
    }
    return node.booleanValue();
  }

  private Map<String, String> readAttributes(JsonFieldReader in) {
    JsonNode node = in.present("attributes");
    if (node == null) {
      return Map.of();
    }
    if (!node.isObject()) {
      in.reject("attributes", "must be a JSON object");
      return Map.of();
    }
    if (node.size() > limits.maxItemAttributes()) {
      in.reject(
          "attributes",
          "must have at most " + limits.maxItemAttributes() + " entries, had " + node.size());
      return Map.of();
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String field = "attributes." + e.getKey();
      JsonNode v = e.getValue();
      if (e.getKey().isBlank()) {
        in.reject(field, "attribute name must not be blank");
      } else if (e.getKey().length() > limits.maxIdLength()) {
        in.reject(
            "attributes", "attribute name must be at most " + limits.maxIdLength() + " characters");
      } else if (!v.isValueNode() || v.isNull()) {
        in.reject(field, "must be a string, number or boolean");
      } else if (v.asText().length() > limits.maxTextLength()) {
        in.reject(field, "must be at most " + limits.maxTextLength() + " characters");
      } else {
        attributes.put(e.getKey(), v.asText());
      }
    }
    return attributes;
  }
}
