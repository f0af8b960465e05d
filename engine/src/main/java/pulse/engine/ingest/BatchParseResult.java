package pulse.engine.ingest;

import java.util.List;

/**
 * Outcome of validating a JSON array of inputs: either the batch as a whole is unusable (bad JSON,
 * not an array, too long), or each element has its own result at its own index, so a bad element
 * never sinks the good ones.
 */
public sealed interface BatchParseResult<T>
    permits BatchParseResult.PerElement, BatchParseResult.Rejected {

  record PerElement<T>(List<ParseResult<T>> results) implements BatchParseResult<T> {
    public PerElement {
      results = List.copyOf(results);
    }

    public List<T> validValues() {
      return results.stream()
          .<T>mapMulti(
              (r, sink) -> {
                if (r instanceof ParseResult.Valid<T> v) {
                  sink.accept(v.value());
                }
              })
          .toList();
    }
  }

  record Rejected<T>(FieldError error) implements BatchParseResult<T> {}
}
