package pulse.engine.health;

import akka.actor.typed.ActorSystem;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import pulse.engine.common.Failures;
import pulse.engine.storage.CassandraStore;

/**
 * Whether this node can do its work right now: it is an Up member of the cluster, its Cassandra
 * session answers a query, and the Kafka broker answers a metadata request. Each check is live (no
 * cached verdict) and bounded by a timeout, so a load balancer polling {@code /ready} sees an
 * outage within one poll.
 */
public final class Readiness implements AutoCloseable {

  public record Check(String component, boolean ok, String detail) {}

  public record Report(boolean ready, List<Check> checks) {}

  private final ActorSystem<?> system;
  private final Duration cassandraTimeout;
  private final Duration kafkaTimeout;
  private final Admin kafkaAdmin;

  public Readiness(ActorSystem<?> system) {
    this.system = system;
    var config = system.settings().config();
    this.cassandraTimeout = config.getDuration("pulse.cassandra.ready-timeout");
    this.kafkaTimeout = config.getDuration("pulse.kafka.ready-timeout");
    Properties props = new Properties();
    props.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        config.getString("pulse.kafka.bootstrap-servers"));
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) kafkaTimeout.toMillis());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) kafkaTimeout.toMillis());
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "pulse-readiness");
    // One long-lived client: it reconnects by itself when the broker comes back.
    this.kafkaAdmin = Admin.create(props);
  }

  public CompletionStage<Report> check() {
    CompletableFuture<Check> cassandra = checkCassandra().toCompletableFuture();
    CompletableFuture<Check> kafka = checkKafka().toCompletableFuture();
    Check cluster = checkCluster();
    return cassandra.thenCombine(
        kafka,
        (c, k) -> {
          List<Check> checks = List.of(cluster, c, k);
          return new Report(checks.stream().allMatch(Check::ok), checks);
        });
  }

  private Check checkCluster() {
    MemberStatus status = Cluster.get(system).selfMember().status();
    boolean up = status == MemberStatus.up();
    return new Check("cluster", up, up ? "member up" : "member status " + status);
  }

  private CompletionStage<Check> checkCassandra() {
    try {
      return CassandraStore.session(system)
          .selectOne("SELECT release_version FROM system.local")
          .toCompletableFuture()
          .orTimeout(cassandraTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .handle(
              (row, error) ->
                  error == null
                      ? new Check(
                          "cassandra", true, "release " + row.map(r -> r.getString(0)).orElse("?"))
                      : new Check("cassandra", false, describe(error, cassandraTimeout)));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          new Check("cassandra", false, describe(e, cassandraTimeout)));
    }
  }

  private CompletionStage<Check> checkKafka() {
    return kafkaAdmin
        .describeCluster(new DescribeClusterOptions().timeoutMs((int) kafkaTimeout.toMillis()))
        .nodes()
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(kafkaTimeout.toMillis() + 500, TimeUnit.MILLISECONDS)
        .handle(
            (nodes, error) ->
                error == null
                    ? new Check("kafka", !nodes.isEmpty(), nodes.size() + " broker(s)")
                    : new Check("kafka", false, describe(error, kafkaTimeout)));
  }

  private static String describe(Throwable error, Duration timeout) {
    Throwable t = Failures.rootCause(error);
    if (t instanceof TimeoutException && t.getMessage() == null) {
      return "no answer within " + timeout.toMillis() + " ms";
    }
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return msg.lines().findFirst().orElse(msg);
  }

  @Override
  public void close() {
    kafkaAdmin.close(Duration.ofSeconds(2));
  }
}
