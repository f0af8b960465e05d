package pulse.infra;

import com.datastax.oss.driver.api.core.CqlSession;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import pulse.infra.credentials.CassandraAuth;
import pulse.infra.credentials.KafkaSecurity;

/**
 * The local Cassandra and Kafka as one unit: start (with the schema and topics in place), stop,
 * status. Used by {@code bin/pulse infra} (detached servers that outlive the command) and by the
 * JUnit extension (servers that are children of the test JVM, on free ports, with throw-away data).
 */
public final class LocalInfra {
  /** Nodes started by bin/pulse write var/run/node-<http port>.pid and carry -Dpulse.role=node. */
  public static final String NODE_ROLE = "node";

  private static final Duration STOP_GRACE = Duration.ofSeconds(45);

  private final InfraSettings settings;
  private final boolean detached;
  private final Consumer<String> out;

  public LocalInfra(InfraSettings settings, boolean detached, Consumer<String> out) {
    this.settings = settings;
    this.detached = detached;
    this.out = out;
  }

  public InfraSettings settings() {
    return settings;
  }

  /**
   * Starts whatever is not running yet, then applies the schema and creates the topics. Idempotent.
   */
  public void start() {
    boolean cassandraUp = cassandra().isPresent();
    boolean kafkaUp = kafka().isPresent();
    if (!cassandraUp || !kafkaUp) {
      HostChecks.requireResources(settings);
    }
    if (cassandraUp) {
      out.accept("cassandra already running (pid " + cassandra().get().pid() + ")");
    } else {
      startCassandra();
    }
    if (kafkaUp) {
      out.accept("kafka already running (pid " + kafka().get().pid() + ")");
    } else {
      startKafka();
    }
    InfraCredentials logins = settings.secure() ? logins() : null;
    Path stale = InfraCredentials.file(settings.varDir());
    if (logins == null && Files.exists(stale)) {
      // Left from secure servers whose data is gone: nodes must not offer logins these don't take.
      ServerProcess.deleteQuietly(stale);
      out.accept("removed " + rel(stale) + ": these servers run without --secure");
    }
    if (logins != null) {
      CassandraLogins.setUp(settings, logins.cassandra());
      ScramUsers.upsert(
          settings.kafka().bootstrapServers(),
          BrokerLogins.of(settings).brokerClient(),
          logins.kafka());
      out.accept(
          "logins: Cassandra PasswordAuthenticator, Kafka SASL "
              + logins.kafka().mechanism()
              + "; user '"
              + logins.cassandra().username()
              + "', credentials in "
              + rel(InfraCredentials.file(settings.varDir()))
              + " (mode 600)");
    }
    migrate();
    List<String> created =
        Topics.ensure(
            settings.kafka().bootstrapServers(), kafkaClient(), settings.kafka().topics());
    out.accept(
        "kafka topics: "
            + settings.kafka().topics().stream().map(TopicSpec::name).toList()
            + (created.isEmpty() ? " (all present)" : " (created or grown: " + created + ")"));
  }

  public void startCassandra() {
    Path lib =
        Distribution.cassandra(settings.cassandra().version())
            .ensure(settings.cacheDir(), settings.mavenCommand(), settings.logDir());
    long t0 = System.nanoTime();
    ProcessHandle h = ServerProcess.start(CassandraServer.spec(settings, lib, !detached), detached);
    out.accept(
        "cassandra "
            + settings.cassandra().version()
            + " ready on "
            + settings.cassandra().host()
            + ":"
            + settings.cassandra().nativePort()
            + " (pid "
            + h.pid()
            + ", "
            + seconds(t0)
            + ")");
  }

  public void startKafka() {
    Path lib =
        Distribution.kafka(settings.kafka().version())
            .ensure(settings.cacheDir(), settings.mavenCommand(), settings.logDir());
    long t0 = System.nanoTime();
    ProcessHandle h = ServerProcess.start(KafkaServer.spec(settings, lib), detached);
    out.accept(
        "kafka "
            + settings.kafka().version()
            + " ready on "
            + settings.kafka().bootstrapServers()
            + " (pid "
            + h.pid()
            + ", "
            + seconds(t0)
            + ")");
  }

  /**
   * The logins of the local servers (made on the first secure start); only for servers started with
   * --secure.
   */
  public InfraCredentials logins() {
    return InfraCredentials.loadOrCreate(settings.varDir());
  }

  /** Whether the data of either local server was made with --secure. */
  public static boolean dataMadeSecure(InfraSettings s) {
    return SecurityMode.isSecure(CassandraServer.dataDir(s))
        || SecurityMode.isSecure(KafkaServer.dataDir(s));
  }

  /**
   * Whether the local servers require logins: started with --secure now, or their data was made so
   * (for {@code infra migrate}, which takes no flag).
   */
  private boolean secure() {
    return settings.secure() || SecurityMode.isSecure(CassandraServer.dataDir(settings));
  }

  /** Pulse's own Cassandra login, as a node has it. */
  private CassandraAuth cassandraClient() {
    return secure() ? logins().cassandra() : CassandraAuth.NONE;
  }

  private KafkaSecurity kafkaClient() {
    return settings.secure() || SecurityMode.isSecure(KafkaServer.dataDir(settings))
        ? logins().kafka()
        : KafkaSecurity.NONE;
  }

  /** Applies the migrations as Pulse's own login (which then owns the keyspaces it creates). */
  public SchemaMigrator.Result migrate() {
    InfraSettings.Cassandra c = settings.cassandra();
    try (CqlSession session =
        cassandraClient()
            .applyTo(
                CqlSession.builder()
                    .addContactPoint(new InetSocketAddress(c.host(), c.nativePort()))
                    .withLocalDatacenter(CassandraServer.DATACENTER))
            .build()) {
      SchemaMigrator.Result r =
          new SchemaMigrator(settings.schemaDir(), c.keyspace(), c.replication()).migrate(session);
      out.accept(
          "cassandra schema: "
              + (r.applied().size() + r.alreadyApplied().size())
              + " migrations, "
              + r.applied().size()
              + " applied now"
              + (r.applied().isEmpty()
                  ? ""
                  : " "
                      + r.applied().stream()
                          .map(m -> "V" + m.version() + "__" + m.name())
                          .toList()));
      return r;
    }
  }

  /** Stops nodes first (they hold sessions to both servers), then Kafka, then Cassandra. */
  public void stop() {
    for (Path pid : nodePidFiles()) {
      stopRole(pid, NODE_ROLE, pid.getFileName().toString().replace(".pid", ""));
    }
    stopRole(KafkaServer.pidFile(settings), KafkaServer.ROLE, "kafka");
    stopCassandra();
  }

  public void stopCassandra() {
    stopRole(CassandraServer.pidFile(settings), CassandraServer.ROLE, "cassandra");
  }

  public void stopKafka() {
    stopRole(KafkaServer.pidFile(settings), KafkaServer.ROLE, "kafka");
  }

  private void stopRole(Path pidFile, String role, String label) {
    Optional<ProcessHandle> h = ServerProcess.running(pidFile, role, settings.varDir());
    if (h.isEmpty()) {
      ServerProcess.deleteQuietly(pidFile);
      out.accept(label + " not running");
      return;
    }
    long t0 = System.nanoTime();
    boolean stopped = ServerProcess.stop(h.get(), STOP_GRACE);
    ServerProcess.deleteQuietly(pidFile);
    out.accept(
        label
            + (stopped
                ? " stopped (pid " + h.get().pid() + ", " + seconds(t0) + ")"
                : " did not stop (pid " + h.get().pid() + ")"));
  }

  public Optional<ProcessHandle> cassandra() {
    return ServerProcess.running(
        CassandraServer.pidFile(settings), CassandraServer.ROLE, settings.varDir());
  }

  public Optional<ProcessHandle> kafka() {
    return ServerProcess.running(
        KafkaServer.pidFile(settings), KafkaServer.ROLE, settings.varDir());
  }

  /**
   * One line per process: what runs, with which pid, where it listens, where its data and log are.
   */
  public List<String> status() {
    List<String> lines = new ArrayList<>();
    InfraSettings.Cassandra c = settings.cassandra();
    lines.add(
        line(
            "cassandra",
            cassandra(),
            "cql " + c.host() + ":" + c.nativePort(),
            CassandraServer.dataDir(settings),
            CassandraServer.logFile(settings)));
    lines.add(
        line(
            "kafka",
            kafka(),
            "broker " + settings.kafka().bootstrapServers(),
            KafkaServer.dataDir(settings),
            KafkaServer.logFile(settings)));
    for (Path pid : nodePidFiles()) {
      String name = pid.getFileName().toString().replace(".pid", "");
      String port = name.substring(name.indexOf('-') + 1);
      lines.add(
          line(
              name,
              ServerProcess.running(pid, NODE_ROLE, settings.varDir()),
              "http 127.0.0.1:" + port,
              null,
              settings.logDir().resolve(name + ".log")));
    }
    return lines;
  }

  private String line(String name, Optional<ProcessHandle> h, String where, Path data, Path log) {
    String state = h.map(p -> "running  pid " + p.pid()).orElse("stopped");
    return String.format(
        "%-10s %-18s %-26s %s%s",
        name, state, where, data == null ? "" : "data " + rel(data) + "  ", "log " + rel(log));
  }

  private String rel(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(settings.home())
        ? settings.home().relativize(abs).toString()
        : abs.toString();
  }

  private List<Path> nodePidFiles() {
    if (!Files.isDirectory(settings.runDir())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(settings.runDir())) {
      return files
          .filter(p -> p.getFileName().toString().matches("node-\\d+\\.pid"))
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static String seconds(long t0) {
    return String.format("%.1f s", (System.nanoTime() - t0) / 1e9);
  }
}
