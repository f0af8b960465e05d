package pulse.engine.experiment;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a variant answers its users. The wire names are the lower-case ones. */
public enum ServingPolicy {
  /** The model every node serves now: the learner's lineage, learning on. */
  MODEL("model"),
  /** The cluster's trending items, no model at all: the usual control of a first experiment. */
  TRENDING("trending"),
  /**
   * One stored model version, frozen (it learns nothing): "learning on vs frozen", or a canary.
   * Every node loads it from the version store beside the current one.
   */
  PINNED("pinned");

  private final String wireName;

  ServingPolicy(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** The policy with this wire name, or null. */
  public static ServingPolicy fromWireName(String name) {
    for (ServingPolicy p : values()) {
      if (p.wireName.equals(name)) {
        return p;
      }
    }
    return null;
  }
}
