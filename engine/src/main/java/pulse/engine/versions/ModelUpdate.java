package pulse.engine.versions;

import akka.actor.typed.Behavior;
import akka.actor.typed.pubsub.Topic;
import pulse.engine.common.CborSerializable;

/**
 * What the online learner tells every node, on one cluster-wide topic. Deltas travel whole (item
 * rows of one step plus, when everything may move, the dense weights: kilobytes to a few hundred
 * KiB); a node that misses one notices at the next (its base is not what it serves) and loads the
 * version from Cassandra instead.
 */
public sealed interface ModelUpdate extends CborSerializable {

  /**
   * A new version: {@code delta} is {@code ModelDelta.toBytes()} from {@code baseVersion} to {@code
   * version}.
   */
  record DeltaPublished(
      long seq, String version, String baseVersion, byte[] delta, long oldestEventAcceptedAt)
      implements ModelUpdate {}

  /**
   * Serve exactly this stored version (a rollback, or the learner's first checkpoint): nodes load
   * it from Cassandra unless they already serve it.
   */
  record ServeVersion(long seq, String version, String reason) implements ModelUpdate {}

  static Behavior<Topic.Command<ModelUpdate>> topic() {
    return Topic.create(ModelUpdate.class, "pulse-model-updates");
  }
}
