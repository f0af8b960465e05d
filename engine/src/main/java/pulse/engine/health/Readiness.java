package pulse.engine.health;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.ClusterShardingHealthCheck;
import akka.cluster.typed.Cluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import pulse.engine.common.Failures;
import pulse.engine.metrics.PulseMetrics;
import pulse.engine.storage.CassandraStore;
import pulse.infra.credentials.KafkaSecurity;
import scala.jdk.javaapi.FutureConverters;

/**
 * Whether this node can serve right now, for a load balancer: it is an Up member of the cluster,
 * its user shard region is registered with the coordinator, its Cassandra session answers a query,
 * and it is not draining for shutdown. Kafka is checked too, but only marks the node degraded: a
 * node whose broker is away still answers recommendations and features, and a Kafka blip must not
 * take every node out of rotation at once. The required checks are live and bounded by a timeout;
 * Kafka's is refreshed every second in the background and read as of then, so an unreachable broker
 * never slows an answer. One per actor system ({@link #get}), so the HTTP {@code /ready} and the
 * management endpoint's readiness check answer from the same verdict.
 */
public final class Readiness implements Extension {

  /**
   * One part's state. {@code required}: the node is not ready without it; otherwise it only
   * degrades the node.
   */
  public record Check(String component, boolean ok, boolean required, String detail) {}

  /** {@code ready}: every required check is ok; {@code degraded}: some optional one is not. */
  public record Report(boolean ready, boolean degraded, List<Check> checks) {
    static Report of(List<Check> checks) {
      boolean ready = checks.stream().filter(Check::required).allMatch(Check::ok);
      boolean degraded = checks.stream().anyMatch(c -> !c.required() && !c.ok());
      return new Report(ready, degraded, checks);
    }
  }

  private static final ExtensionId<Readiness> ID =
      new ExtensionId<>() {
        @Override
        public Readiness createExtension(ActorSystem<?> system) {
          return new Readiness(system);
        }
      };

  private final ActorSystem<?> system;
  private final Duration cassandraTimeout;
  private final Duration kafkaTimeout;
  private final Admin kafkaAdmin;
  private final ClusterShardingHealthCheck sharding;
  private final PulseMetrics metrics;
  private final SupervisedParts parts;
  private volatile boolean draining;
  // Kafka's state as of the last background check: a readiness answer must not wait for a broker
  // that is away, or a load balancer's check (1 s here) would time out and drop every node at once.
  private volatile Check kafka = new Check("kafka", false, false, "not checked yet");
  private final AtomicBoolean kafkaCheckRunning = new AtomicBoolean();
  private final List<Supplier<Check>> loaded = new CopyOnWriteArrayList<>();

  public static Readiness get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private Readiness(ActorSystem<?> system) {
    this.system = system;
    var config = system.settings().config();
    this.cassandraTimeout = config.getDuration("pulse.cassandra.ready-timeout");
    this.kafkaTimeout = config.getDuration("pulse.kafka.ready-timeout");
    this.sharding = new ClusterShardingHealthCheck(Adapter.toClassic(system));
    this.metrics = PulseMetrics.get(system);
    this.parts = new SupervisedParts(metrics::supervisedRestart);
    Properties props = new Properties();
    props.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        config.getString("pulse.kafka.bootstrap-servers"));
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) kafkaTimeout.toMillis());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) kafkaTimeout.toMillis());
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "pulse-readiness");
    KafkaSecurity.from(config).addTo(props);
    // One long-lived client: it reconnects by itself when the broker comes back.
    this.kafkaAdmin = Admin.create(props);
    system
        .scheduler()
        .scheduleWithFixedDelay(
            Duration.ZERO, Duration.ofSeconds(1), this::refreshKafka, system.executionContext());
    CoordinatedShutdown.get(Adapter.toClassic(system))
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "close-readiness",
            () -> {
              kafkaAdmin.close(Duration.ofSeconds(2));
              return CompletableFuture.completedFuture(Done.getInstance());
            });
  }

  /** The node's supervised system actors; each is a required check. */
  public SupervisedParts parts() {
    return parts;
  }

  /**
   * A required check for state a node must have loaded before it serves (e.g. the running
   * experiments: a node answering before it knows them would serve their users outside their
   * variant). {@code check} is called on every readiness request and must not block.
   */
  public void require(Supplier<Check> check) {
    loaded.add(check);
  }

  public CompletionStage<Report> check() {
    CompletableFuture<Check> cassandra = checkCassandra().toCompletableFuture();
    CompletableFuture<Check> shards = checkSharding().toCompletableFuture();
    Check kafkaNow = kafka;
    Check cluster = checkCluster();
    Check drain =
        new Check(
            "draining",
            !draining,
            true,
            draining ? "stopping: out of rotation before shutdown" : "serving");
    return CompletableFuture.allOf(cassandra, shards)
        .thenApply(
            none -> {
              List<Check> checks =
                  new ArrayList<>(
                      List.of(cluster, shards.join(), cassandra.join(), kafkaNow, drain));
              checks.addAll(parts.checks());
              loaded.forEach(c -> checks.add(c.get()));
              Report report = Report.of(checks);
              metrics.readiness(
                  report.ready(),
                  report.degraded(),
                  report.checks().stream()
                      .collect(Collectors.toMap(Check::component, Check::ok, (a, b) -> a)));
              return report;
            });
  }

  /**
   * On shutdown, before the HTTP port stops accepting: turn not-ready and keep serving for {@code
   * delay}, long enough for a load balancer polling readiness to take this node out of rotation, so
   * that no client's request meets a closed port.
   */
  public void drainOnShutdown(Duration delay) {
    CoordinatedShutdown.get(Adapter.toClassic(system))
        .addTask(
            CoordinatedShutdown.PhaseBeforeServiceUnbind(),
            "drain-for-load-balancer",
            () -> {
              draining = true;
              system.log().info("draining: not ready, still serving for {} ms", delay.toMillis());
              CompletableFuture<Done> done = new CompletableFuture<>();
              CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS)
                  .execute(() -> done.complete(Done.getInstance()));
              return done;
            });
  }

  private Check checkCluster() {
    MemberStatus status = Cluster.get(system).selfMember().status();
    boolean up = status == MemberStatus.up() || status == MemberStatus.weaklyUp();
    return new Check("cluster", up, true, up ? "member " + status : "member status " + status);
  }

  private CompletionStage<Check> checkSharding() {
    return FutureConverters.asJava(sharding.apply())
        .handle(
            (ok, error) ->
                error == null && Boolean.TRUE.equals(ok)
                    ? new Check("sharding", true, true, "user shard region registered")
                    : new Check(
                        "sharding",
                        false,
                        true,
                        error == null
                            ? "user shard region not registered with the coordinator yet"
                            : Failures.rootMessage(error)));
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
                          "cassandra",
                          true,
                          true,
                          "release " + row.map(r -> r.getString(0)).orElse("?"))
                      : new Check("cassandra", false, true, describe(error, cassandraTimeout)));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          new Check("cassandra", false, true, describe(e, cassandraTimeout)));
    }
  }

  private void refreshKafka() {
    if (kafkaCheckRunning.compareAndSet(false, true)) {
      checkKafka()
          .whenComplete(
              (c, error) -> {
                if (c != null) {
                  kafka = c;
                }
                kafkaCheckRunning.set(false);
              });
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
                    ? new Check("kafka", !nodes.isEmpty(), false, nodes.size() + " broker(s)")
                    : new Check(
                        "kafka",
                        false,
                        false,
                        describe(error, kafkaTimeout)
                            + " (degraded: recommendations and HTTP ingest go on; Kafka ingest and"
                            + " learning wait)"));
  }

  private static String describe(Throwable error, Duration timeout) {
    Throwable t = Failures.rootCause(error);
    if (t instanceof TimeoutException && t.getMessage() == null) {
      return "no answer within " + timeout.toMillis() + " ms";
    }
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return msg.lines().findFirst().orElse(msg);
  }
}
