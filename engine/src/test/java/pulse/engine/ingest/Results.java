package pulse.engine.ingest;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;

/** Typed unwrapping of parse results for assertions. */
final class Results {

  private Results() {}

  static <T> T valid(ParseResult<T> r) {
    if (r instanceof ParseResult.Valid<T> v) {
      return v.value();
    }
    return fail("expected a valid result, got " + r);
  }

  static <T> List<FieldError> errors(ParseResult<T> r) {
    if (r instanceof ParseResult.Invalid<T> i) {
      return i.errors();
    }
    return fail("expected an invalid result, got " + r);
  }

  static <T> BatchParseResult.PerElement<T> perElement(BatchParseResult<T> r) {
    if (r instanceof BatchParseResult.PerElement<T> p) {
      return p;
    }
    return fail("expected per-element results, got " + r);
  }

  static <T> FieldError rejected(BatchParseResult<T> r) {
    if (r instanceof BatchParseResult.Rejected<T> rej) {
      return rej.error();
    }
    return fail("expected a rejected batch, got " + r);
  }
}
