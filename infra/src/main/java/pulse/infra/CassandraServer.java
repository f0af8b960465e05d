package pulse.infra;

import com.datastax.oss.driver.api.core.CqlSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import pulse.infra.credentials.CassandraAuth;

/**
 * A single-node Apache Cassandra 5 in its own JVM, bound to 127.0.0.1, with its data under {@code
 * <var>/cassandra}. The JVM flags are those of Cassandra's own {@code conf/jvm17-server.options}:
 * without the JPMS exports it stops with "Cassandra is unable to access required classes".
 */
public final class CassandraServer {
  public static final String ROLE = "cassandra";

  /** SimpleSnitch puts the node here; the driver must name it as its local datacenter. */
  public static final String DATACENTER = "datacenter1";

  private static final List<String> JVM17_FLAGS =
      List.of(
          "-XX:+UseG1GC",
          "-XX:+ParallelRefProcEnabled",
          "-XX:MaxTenuringThreshold=1",
          "-XX:G1RSetUpdatingPauseTimePercent=5",
          "-XX:MaxGCPauseMillis=300",
          "-XX:InitiatingHeapOccupancyPercent=70",
          "-Djdk.attach.allowAttachSelf=true",
          "--add-exports",
          "java.base/jdk.internal.misc=ALL-UNNAMED",
          "--add-exports",
          "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
          "--add-exports",
          "java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports",
          "java.rmi/sun.rmi.server=ALL-UNNAMED",
          "--add-exports",
          "java.sql/java.sql=ALL-UNNAMED",
          "--add-exports",
          "java.base/java.lang.ref=ALL-UNNAMED",
          "--add-exports",
          "jdk.unsupported/sun.misc=ALL-UNNAMED",
          "--add-exports",
          "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
          "--add-exports",
          "jdk.attach/sun.tools.attach=ALL-UNNAMED",
          "--add-opens",
          "java.base/java.lang.module=ALL-UNNAMED",
          "--add-opens",
          "java.base/jdk.internal.loader=ALL-UNNAMED",
          "--add-opens",
          "java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens",
          "java.base/jdk.internal.reflect=ALL-UNNAMED",
          "--add-opens",
          "java.base/jdk.internal.math=ALL-UNNAMED",
          "--add-opens",
          "java.base/jdk.internal.module=ALL-UNNAMED",
          "--add-opens",
          "java.base/jdk.internal.util.jar=ALL-UNNAMED",
          "--add-opens",
          "jdk.management/com.sun.management.internal=ALL-UNNAMED",
          "--add-opens",
          "java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens",
          "java.base/java.io=ALL-UNNAMED",
          "--add-opens",
          "java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens",
          "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
          "--add-opens",
          "java.base/java.lang=ALL-UNNAMED",
          "--add-opens",
          "java.base/java.util=ALL-UNNAMED",
          "-Dio.netty.tryReflectionSetAccessible=true",
          "-Dio.netty.allocator.useCacheForAllThreads=true",
          "-Dio.netty.allocator.maxOrder=11",
          "-Djava.net.preferIPv4Stack=true");

  private CassandraServer() {}

  public static Path dataDir(InfraSettings s) {
    return s.varDir().resolve("cassandra");
  }

  public static Path logFile(InfraSettings s) {
    return s.logDir().resolve("cassandra.log");
  }

  public static Path pidFile(InfraSettings s) {
    return s.runDir().resolve("cassandra.pid");
  }

  /**
   * @param fastAndLoose for throw-away test data: skips fsync of the system keyspace, which makes
   *     schema changes several times faster. Never for data anyone wants back after a crash.
   */
  public static ServerProcess.Spec spec(InfraSettings s, Path libDir, boolean fastAndLoose) {
    InfraSettings.Cassandra c = s.cassandra();
    Path dir = dataDir(s);
    try {
      Files.createDirectories(dir);
      SecurityMode.requireMatching(dir, dir.resolve("data"), s.secure(), "cassandra");
      Files.writeString(dir.resolve("cassandra.yaml"), yaml(dir, c, s.secure()));
      Files.writeString(dir.resolve("logback.xml"), LOGBACK);
    } catch (IOException e) {
      throw new InfraException(
          "cannot write Cassandra's config under " + dir + ": " + e.getMessage());
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.add("-Xms" + c.heap());
    cmd.add("-Xmx" + c.heap());
    cmd.addAll(JVM17_FLAGS);
    cmd.add(ServerProcess.roleMarker(ROLE));
    cmd.add(ServerProcess.varMarker(s.varDir()));
    cmd.add("-Dcassandra.config=" + dir.resolve("cassandra.yaml").toUri());
    cmd.add("-Dcassandra.storagedir=" + dir);
    cmd.add("-Dcassandra.logdir=" + s.logDir());
    cmd.add("-Dcassandra-foreground=yes");
    cmd.add("-Dlogback.configurationFile=" + dir.resolve("logback.xml"));
    // A single node has no one to gossip with: skip the waits meant for joining a ring.
    cmd.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
    cmd.add("-Dcassandra.ring_delay_ms=1000");
    cmd.add("-Dcassandra.superuser_setup_delay_ms=0");
    if (fastAndLoose) {
      cmd.add("-Dcassandra.unsafesystem=true");
    }
    cmd.add("-cp");
    cmd.add(libDir.resolve("*").toString());
    cmd.add("org.apache.cassandra.service.CassandraDaemon");
    return new ServerProcess.Spec(
        ROLE,
        cmd,
        dir,
        logFile(s),
        pidFile(s),
        s.varDir(),
        List.of(
            new ServerProcess.Port(c.nativePort(), "Cassandra CQL"),
            new ServerProcess.Port(c.storagePort(), "Cassandra storage")),
        c.startTimeout(),
        s.secure()
            ? () -> CassandraLogins.probe(s, Duration.ofSeconds(3))
            : () -> probe(c.host(), c.nativePort(), Duration.ofSeconds(3), CassandraAuth.NONE));
  }

  /** Ready means a CQL query answers, not merely that the port is open. */
  public static void probe(String host, int port, Duration timeout, CassandraAuth auth) {
    try (CqlSession session = auth.probeSession(host, port, DATACENTER, timeout)) {
      session.execute("SELECT release_version FROM system.local");
    }
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String yaml(Path dir, InfraSettings.Cassandra c, boolean secure) {
    return """
        # Written by pulse.infra.CassandraServer on every start; set pulse.infra.cassandra instead.
        cluster_name: 'Pulse Local'
        num_tokens: 1
        partitioner: org.apache.cassandra.dht.Murmur3Partitioner
        data_file_directories:
          - %1$s/data
        commitlog_directory: %1$s/commitlog
        saved_caches_directory: %1$s/saved_caches
        hints_directory: %1$s/hints
        cdc_raw_directory: %1$s/cdc_raw
        commitlog_sync: periodic
        commitlog_sync_period: 10000ms
        seed_provider:
          - class_name: org.apache.cassandra.locator.SimpleSeedProvider
            parameters:
              - seeds: "%2$s:%4$d"
        listen_address: %2$s
        rpc_address: %2$s
        storage_port: %4$d
        native_transport_port: %3$d
        start_native_transport: true
        endpoint_snitch: SimpleSnitch
        %5$s
        disk_failure_policy: stop
        commit_failure_policy: stop
        auto_snapshot: false
        concurrent_reads: 8
        concurrent_writes: 16
        concurrent_counter_writes: 8
        read_request_timeout: 5000ms
        write_request_timeout: 2000ms
        range_request_timeout: 10000ms
        request_timeout: 10000ms
        """
        .formatted(
            dir.toAbsolutePath(),
            c.host(),
            c.nativePort(),
            c.storagePort(),
            secure
                ? "authenticator: PasswordAuthenticator\n"
                    + "authorizer: CassandraAuthorizer\n"
                    + "role_manager: CassandraRoleManager"
                : "authenticator: AllowAllAuthenticator\nauthorizer: AllowAllAuthorizer");
  }

  private static final String LOGBACK =
      """
      <configuration>
        <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
          <encoder><pattern>%d{ISO8601} %-5level [%thread] %logger{20} - %msg%n</pattern></encoder>
        </appender>
        <root level="INFO"><appender-ref ref="STDOUT"/></root>
      </configuration>
      """;
}
