package pulse.engine.learning;

/** What the {@link Guardrail} thinks of a new model version. */
public sealed interface Verdict {
  /** Publish (or keep) the version. */
  record Accept() implements Verdict {}

  /**
   * Do not serve the version; the reason is meant for logs and the version history, so it names the
   * numbers.
   */
  record Reject(String reason) implements Verdict {
    public Reject {
      if (reason == null || reason.isBlank()) {
        throw new IllegalArgumentException("a rejection needs a reason");
      }
    }
  }

  Accept ACCEPT = new Accept();

  default boolean accepted() {
    return this instanceof Accept;
  }
}
