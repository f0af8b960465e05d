package pulse.engine.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code pulse.cluster} as a decision: how this node finds its cluster, and for Cluster Bootstrap,
 * whom it contacts. Pure: read from config, validated, turned into the settings Akka's discovery
 * and bootstrap read.
 *
 * @param mode how the node finds its cluster
 * @param contactPoints management endpoints of every node, for {@link Mode#BOOTSTRAP}
 */
public record Formation(Mode mode, List<ContactPoint> contactPoints) {

  public enum Mode {
    /** Akka joins {@code akka.cluster.seed-nodes} by itself. */
    SEED_NODES,
    /** A cluster of one: the node joins itself. */
    SELF,
    /** Akka Cluster Bootstrap over the contact points. */
    BOOTSTRAP
  }

  /** A node's management endpoint. */
  public record ContactPoint(String host, int port) {
    static ContactPoint parse(String hostPort) {
      int colon = hostPort.lastIndexOf(':');
      if (colon <= 0 || colon == hostPort.length() - 1) {
        throw new IllegalArgumentException(
            "pulse.cluster.contact-points: \"" + hostPort + "\" is not host:port");
      }
      try {
        int port = Integer.parseInt(hostPort.substring(colon + 1).trim());
        if (port < 1 || port > 65535) {
          throw new NumberFormatException();
        }
        return new ContactPoint(hostPort.substring(0, colon).trim(), port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "pulse.cluster.contact-points: \"" + hostPort + "\" has no valid port");
      }
    }
  }

  public Formation {
    contactPoints = List.copyOf(contactPoints);
    if (mode == Mode.BOOTSTRAP && contactPoints.isEmpty()) {
      throw new IllegalArgumentException(
          "pulse.cluster.formation = bootstrap needs pulse.cluster.contact-points (or"
              + " PULSE_CLUSTER_CONTACT_POINTS): the management host:port of every node");
    }
  }

  public static Formation fromConfig(Config config) {
    if (!config.getStringList("akka.cluster.seed-nodes").isEmpty()) {
      return new Formation(Mode.SEED_NODES, List.of());
    }
    String mode = config.getString("pulse.cluster.formation").trim().toLowerCase(Locale.ROOT);
    List<ContactPoint> points = contactPoints(config);
    return switch (mode) {
      case "self" -> new Formation(Mode.SELF, points);
      case "bootstrap" -> new Formation(Mode.BOOTSTRAP, points);
      default ->
          throw new ConfigException.BadValue(
              config.origin(),
              "pulse.cluster.formation",
              "\"" + mode + "\": use self or bootstrap");
    };
  }

  /** A list in config, or the comma-separated string an environment variable gives. */
  private static List<ContactPoint> contactPoints(Config config) {
    String path = "pulse.cluster.contact-points";
    List<String> raw =
        config.getValue(path).valueType() == ConfigValueType.LIST
            ? config.getStringList(path)
            : Arrays.asList(config.getString(path).split(","));
    return raw.stream()
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(ContactPoint::parse)
        .toList();
  }

  /**
   * What Akka needs on top of {@code config} for this formation: for bootstrap, the contact points
   * as config discovery's service {@code pulse} and every one of them required (with {@code
   * contact-with-all-contact-points}, a new cluster forms only when all answered); nothing
   * otherwise.
   */
  public String akkaSettings() {
    if (mode != Mode.BOOTSTRAP) {
      return "";
    }
    StringBuilder endpoints = new StringBuilder();
    for (ContactPoint p : contactPoints) {
      endpoints
          .append(endpoints.isEmpty() ? "" : ", ")
          .append("{ host = \"")
          .append(p.host())
          .append("\", port = ")
          .append(p.port())
          .append(" }");
    }
    return "akka.discovery.config.services.pulse.endpoints = ["
        + endpoints
        + "]\n"
        + "akka.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr = "
        + contactPoints.size()
        + "\n";
  }
}
