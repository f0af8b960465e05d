package pulse.http;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import pulse.engine.health.Readiness;

/**
 * {@code GET /health}: the process lives (for a supervisor's liveness probe; never touches
 * dependencies). {@code GET /ready}: 200 only when this node can serve (for a load balancer);
 * otherwise 503 naming the part that is not reachable. A part the node can serve without (Kafka)
 * shows as {@code degraded: true} with a 200. The management port's {@code /ready} gives the same
 * verdict.
 */
public final class HealthRoutes extends JsonSupport {
  private final Readiness readiness;
  private final String nodeAddress;

  public HealthRoutes(Readiness readiness, String nodeAddress) {
    this.readiness = readiness;
    this.nodeAddress = nodeAddress;
  }

  public record Health(String status, String node, long uptimeMs) {}

  public record Ready(boolean ready, boolean degraded, Map<String, Component> checks) {}

  public record Component(boolean ok, boolean required, String detail) {}

  public Route routes() {
    return concat(
        path(
            "health",
            () ->
                get(
                    () ->
                        json(
                            StatusCodes.OK,
                            new Health(
                                "alive",
                                nodeAddress,
                                ManagementFactory.getRuntimeMXBean().getUptime())))),
        path(
            "ready",
            () ->
                get(
                    () ->
                        onSuccess(
                            readiness.check(),
                            report -> {
                              Map<String, Component> checks = new LinkedHashMap<>();
                              report
                                  .checks()
                                  .forEach(
                                      c ->
                                          checks.put(
                                              c.component(),
                                              new Component(c.ok(), c.required(), c.detail())));
                              return json(
                                  report.ready() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE,
                                  new Ready(report.ready(), report.degraded(), checks));
                            }))));
  }
}
