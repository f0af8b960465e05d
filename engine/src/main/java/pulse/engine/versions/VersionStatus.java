package pulse.engine.versions;

/**
 * Whether a stored version may be served. The stored name is the lower-case one
 * (model_versions.status).
 */
public enum VersionStatus {
  /** Passed the guardrail; serving and resuming build on it. */
  GOOD("good"),
  /** Failed the guardrail when it was made; kept for the history only. */
  REJECTED("rejected"),
  /** Was good, then undone by a rollback; never loaded again. */
  ROLLED_BACK("rolled_back"),
  /**
   * A whole model stored for a canary rollout: loaded only by name (pinned beside the current
   * version), never as the chain's head; GOOD when the rollout promotes it, ROLLED_BACK when its
   * gate fails.
   */
  CANDIDATE("candidate");

  private final String storedName;

  VersionStatus(String storedName) {
    this.storedName = storedName;
  }

  public String storedName() {
    return storedName;
  }

  public static VersionStatus fromStoredName(String name) {
    for (VersionStatus s : values()) {
      if (s.storedName.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown model version status: " + name);
  }
}
