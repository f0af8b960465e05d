package pulse.engine.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads typed fields out of one JSON object while collecting every rule violation instead of
 * stopping at the first, so a client sees all of its mistakes in one answer. JSON null counts as
 * absent.
 */
final class JsonFieldReader {

  private final JsonNode object;
  private final String prefix;
  private final List<FieldError> errors;

  JsonFieldReader(JsonNode object, String prefix, List<FieldError> errors) {
    this.object = object;
    this.prefix = prefix;
    this.errors = errors;
  }

  static JsonFieldReader root(JsonNode object) {
    return new JsonFieldReader(object, "", new ArrayList<>());
  }

  List<FieldError> errors() {
    return errors;
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  String path(String field) {
    return prefix + field;
  }

  void reject(String field, String reason) {
    errors.add(new FieldError(path(field), reason));
  }

  /**
   * Strict schema: a misspelt optional field would otherwise be dropped without anyone noticing.
   */
  void rejectUnknownFields(Set<String> known) {
    Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        reject(name, "unknown field");
      }
    }
  }

  JsonNode present(String field) {
    JsonNode node = object.get(field);
    return node == null || node.isNull() ? null : node;
  }

  /** A non-blank string of at most maxLength chars, or null (with an error recorded). */
  String requiredId(String field, int maxLength) {
    JsonNode node = present(field);
    if (node == null) {
      reject(field, "is required");
      return null;
    }
    String text = string(field, node, maxLength);
    if (text != null && text.isBlank()) {
      reject(field, "must not be blank");
      return null;
    }
    // An id keys a shard, a journal and URLs: a newline or other control character in it would
    // make a user (or item) that GET routes refuse, so it could never be read back.
    if (text != null && text.chars().anyMatch(Character::isISOControl)) {
      reject(field, "must not contain control characters");
      return null;
    }
    return text;
  }

  /** An optional string of at most maxLength chars; null when absent or invalid. */
  String optionalText(String field, int maxLength) {
    JsonNode node = present(field);
    return node == null ? null : string(field, node, maxLength);
  }

  /** An optional finite, non-negative number; null when absent or invalid. */
  Double optionalNonNegativeNumber(String field) {
    JsonNode node = present(field);
    if (node == null) {
      return null;
    }
    if (!node.isNumber()) {
      reject(field, "must be a number");
      return null;
    }
    double value = node.asDouble();
    if (!Double.isFinite(value)) {
      reject(field, "must be a finite number");
      return null;
    }
    if (value < 0) {
      reject(field, "must not be negative");
      return null;
    }
    return value;
  }

  private String string(String field, JsonNode node, int maxLength) {
    if (!node.isTextual()) {
      reject(field, "must be a string");
      return null;
    }
    String text = node.textValue();
    if (text.length() > maxLength) {
      reject(field, "must be at most " + maxLength + " characters, was " + text.length());
      return null;
    }
    return text;
  }
}
