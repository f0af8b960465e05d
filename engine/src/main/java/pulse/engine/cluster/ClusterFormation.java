package pulse.engine.cluster;

import akka.actor.typed.ActorSystem;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;

/**
 * How a node finds its cluster: the configured seed nodes, or, with none configured, itself alone.
 */
public final class ClusterFormation {
  private ClusterFormation() {}

  public static void join(ActorSystem<?> system) {
    if (system.settings().config().getStringList("akka.cluster.seed-nodes").isEmpty()) {
      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    // Otherwise the cluster extension joins the seed nodes by itself.
  }
}
