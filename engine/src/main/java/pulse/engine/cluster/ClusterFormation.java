package pulse.engine.cluster;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.management.cluster.bootstrap.ClusterBootstrap;
import akka.management.javadsl.AkkaManagement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.CompletionStage;

/**
 * How a node finds its cluster ({@link Formation}), and its management endpoint, which Cluster
 * Bootstrap probes and load balancers poll.
 */
public final class ClusterFormation {
  private ClusterFormation() {}

  /** {@code config} with what Akka needs for the configured formation; validates it. */
  public static Config configure(Config config) {
    Formation formation = Formation.fromConfig(config);
    return ConfigFactory.parseString(formation.akkaSettings()).withFallback(config).resolve();
  }

  /**
   * Starts the management endpoint, then joins: itself, the seed nodes (Akka does that), or through
   * Cluster Bootstrap, which needs the endpoint up to probe and be probed. Completes with the
   * endpoint's address once it is bound; a port already taken fails the stage.
   */
  public static CompletionStage<String> start(ActorSystem<?> system) {
    Formation formation = Formation.fromConfig(system.settings().config());
    var classic = Adapter.toClassic(system);
    return AkkaManagement.get(classic)
        .start()
        .thenApply(
            uri -> {
              switch (formation.mode()) {
                case SELF -> {
                  Cluster cluster = Cluster.get(system);
                  cluster.manager().tell(Join.create(cluster.selfMember().address()));
                }
                case BOOTSTRAP -> ClusterBootstrap.get(classic).start();
                case SEED_NODES -> {
                  // the cluster extension joins the seed nodes by itself
                }
              }
              return uri.toString();
            });
  }
}
