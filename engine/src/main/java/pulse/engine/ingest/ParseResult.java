package pulse.engine.ingest;

import java.util.List;

/** Outcome of validating one input: a value that passed every rule, or every rule it broke. */
public sealed interface ParseResult<T> permits ParseResult.Valid, ParseResult.Invalid {

  record Valid<T>(T value) implements ParseResult<T> {}

  /** Never empty: an input with no errors is valid. */
  record Invalid<T>(List<FieldError> errors) implements ParseResult<T> {
    public Invalid {
      if (errors.isEmpty()) {
        throw new IllegalArgumentException("an invalid result needs at least one error");
      }
      errors = List.copyOf(errors);
    }

    public static <T> Invalid<T> of(String field, String reason) {
      return new Invalid<>(List.of(new FieldError(field, reason)));
    }
  }
}
