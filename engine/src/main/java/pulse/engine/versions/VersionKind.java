package pulse.engine.versions;

/**
 * What a stored model version holds. The stored name is the lower-case one (model_versions.kind).
 */
public enum VersionKind {
  /** The whole model: a starting point needing nothing before it. */
  CHECKPOINT("checkpoint"),
  /** Changed item rows and dense tensors on top of {@code base_version}. */
  DELTA("delta"),
  /** A return to {@code base_version}, recorded so the history says why serving went back. */
  ROLLBACK("rollback");

  private final String storedName;

  VersionKind(String storedName) {
    this.storedName = storedName;
  }

  public String storedName() {
    return storedName;
  }

  public static VersionKind fromStoredName(String name) {
    for (VersionKind k : values()) {
      if (k.storedName.equals(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown model version kind: " + name);
  }
}
