package pulse.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import pulse.infra.credentials.KafkaSecurity;

/**
 * A single Kafka broker in KRaft mode (broker and controller in one JVM), bound to 127.0.0.1, with
 * its log under {@code <var>/kafka}.
 */
public final class KafkaServer {
  public static final String ROLE = "kafka";

  private KafkaServer() {}

  public static Path dataDir(InfraSettings s) {
    return s.varDir().resolve("kafka");
  }

  public static Path logFile(InfraSettings s) {
    return s.logDir().resolve("kafka.log");
  }

  public static Path pidFile(InfraSettings s) {
    return s.runDir().resolve("kafka.pid");
  }

  public static ServerProcess.Spec spec(InfraSettings s, Path libDir) {
    InfraSettings.Kafka k = s.kafka();
    Path dir = dataDir(s);
    Path props = dir.resolve("server.properties");
    Path log4j = dir.resolve("log4j.properties");
    try {
      Files.createDirectories(dir);
      SecurityMode.requireMatching(
          dir, dir.resolve("data").resolve("meta.properties"), s.secure(), "kafka");
      BrokerLogins logins = s.secure() ? BrokerLogins.of(s) : null;
      // The secure broker's file holds its own logins: readable by the owner only.
      InfraCredentials.writePrivate(
          props,
          serverProperties(dir, k)
              + (logins == null ? plainListeners(k) : logins.listenerProperties(k)));
      Files.writeString(log4j, LOG4J);
      formatStorageOnce(s, libDir, dir, props, logins);
    } catch (IOException e) {
      throw new InfraException("cannot prepare Kafka under " + dir + ": " + e.getMessage());
    }
    List<String> cmd =
        List.of(
            CassandraServer.javaBinary(),
            "-Xms" + k.heap(),
            "-Xmx" + k.heap(),
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            ServerProcess.roleMarker(ROLE),
            ServerProcess.varMarker(s.varDir()),
            "-Dlog4j.configuration=" + log4j.toUri(),
            "-cp",
            libDir.resolve("*").toString(),
            "kafka.Kafka",
            props.toString());
    return new ServerProcess.Spec(
        ROLE,
        cmd,
        dir,
        logFile(s),
        pidFile(s),
        s.varDir(),
        List.of(
            new ServerProcess.Port(k.port(), "Kafka broker"),
            new ServerProcess.Port(k.controllerPort(), "Kafka controller")),
        k.startTimeout(),
        () ->
            probe(
                k.bootstrapServers(),
                Duration.ofSeconds(3),
                s.secure() ? BrokerLogins.of(s).brokerClient() : KafkaSecurity.NONE));
  }

  /**
   * Ready means the broker answers a metadata request (describeCluster), not merely that the port
   * is open.
   */
  public static void probe(String bootstrapServers, Duration timeout, KafkaSecurity security)
      throws Exception {
    try (Admin admin = Admin.create(security.addTo(adminProperties(bootstrapServers, timeout)))) {
      int nodes =
          admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
      if (nodes == 0) {
        throw new IllegalStateException("broker reports no nodes yet");
      }
    }
  }

  public static Properties adminProperties(String bootstrapServers, Duration timeout) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    return p;
  }

  /** KRaft storage must be formatted with a cluster id before the first start, and only then. */
  private static void formatStorageOnce(
      InfraSettings s, Path libDir, Path dir, Path props, BrokerLogins logins) throws IOException {
    if (Files.exists(dir.resolve("data").resolve("meta.properties"))) {
      return;
    }
    Path log = logFile(s);
    Files.createDirectories(log.getParent());
    List<String> cmd =
        new ArrayList<>(
            List.of(
                CassandraServer.javaBinary(),
                "-Xmx256m",
                "-Dlog4j.configuration=" + dir.resolve("log4j.properties").toUri(),
                "-cp",
                libDir.resolve("*").toString(),
                "kafka.tools.StorageTool",
                "format",
                "-t",
                clusterId(),
                "-c",
                props.toString(),
                "--ignore-formatted"));
    if (logins != null) {
      // SCRAM users live in the cluster's metadata: the broker's own must exist before it starts.
      cmd.addAll(logins.formatArguments());
    }
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new InfraException("formatting Kafka's storage failed", log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfraException("interrupted while formatting Kafka's storage");
    }
  }

  /**
   * A random cluster id that the storage tool's argument parser cannot mistake for an option.
   * Kafka's ids are URL-safe base64, so one in 64 begins with '-'; the kafka-clients on our
   * classpath (3.0) does not avoid that, and "-t -Xb..." then fails the format (it failed CI once).
   */
  static String clusterId() {
    String id = Uuid.randomUuid().toString();
    while (id.startsWith("-")) {
      id = Uuid.randomUuid().toString();
    }
    return id;
  }

  /** Without --secure: no login anywhere, loopback only. */
  private static String plainListeners(InfraSettings.Kafka k) {
    return """
        listeners=PLAINTEXT://%1$s:%2$d,CONTROLLER://%1$s:%3$d
        advertised.listeners=PLAINTEXT://%1$s:%2$d
        inter.broker.listener.name=PLAINTEXT
        listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
        """
        .formatted(k.host(), k.port(), k.controllerPort());
  }

  private static String serverProperties(Path dir, InfraSettings.Kafka k) {
    return """
        # Written by pulse.infra.KafkaServer on every start; set pulse.infra.kafka instead.
        process.roles=broker,controller
        node.id=1
        controller.quorum.voters=1@%1$s:%3$d
        controller.listener.names=CONTROLLER
        log.dirs=%4$s/data
        num.partitions=4
        auto.create.topics.enable=false
        offsets.topic.replication.factor=1
        offsets.topic.num.partitions=4
        transaction.state.log.replication.factor=1
        transaction.state.log.min.isr=1
        group.initial.rebalance.delay.ms=0
        log.retention.hours=168
        log.segment.bytes=67108864
        """
        .formatted(k.host(), k.port(), k.controllerPort(), dir.toAbsolutePath());
  }

  private static final String LOG4J =
      """
      log4j.rootLogger=INFO, stdout
      log4j.appender.stdout=org.apache.log4j.ConsoleAppender
      log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
      log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
      log4j.logger.kafka.request.logger=WARN
      log4j.logger.org.apache.kafka.controller=WARN
      log4j.logger.state.change.logger=WARN
      """;
}
