package pulse.infra;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything needed to run the local Cassandra and Kafka: where, on which ports, with how much
 * memory, and which topics to create. Read from {@code pulse.infra}, {@code pulse.cassandra} and
 * {@code pulse.kafka}.
 */
public record InfraSettings(
    Path home,
    Path varDir,
    Path cacheDir,
    Path schemaDir,
    String mavenCommand,
    long minFreeMemoryMb,
    long minFreeDiskMb,
    Cassandra cassandra,
    Kafka kafka,
    boolean secure) {

  public record Cassandra(
      String version,
      String host,
      int nativePort,
      int storagePort,
      String heap,
      Duration startTimeout,
      String keyspace,
      String replication) {}

  public record Kafka(
      String version,
      String host,
      int port,
      int controllerPort,
      String heap,
      Duration startTimeout,
      List<TopicSpec> topics) {
    public String bootstrapServers() {
      return host + ":" + port;
    }
  }

  public static InfraSettings from(Config config, Path home) {
    Config infra = config.getConfig("pulse.infra");
    Config cassandra = config.getConfig("pulse.cassandra");
    Config kafka = config.getConfig("pulse.kafka");
    List<TopicSpec> topics = kafka.getConfigList("topics").stream().map(TopicSpec::from).toList();
    return new InfraSettings(
        home,
        home.resolve(infra.getString("var-dir")).normalize(),
        Path.of(infra.getString("cache-dir")),
        home.resolve(infra.getString("schema-dir")).normalize(),
        infra.getString("maven-command"),
        infra.getBytes("min-free-memory") / (1024 * 1024),
        infra.getBytes("min-free-disk") / (1024 * 1024),
        new Cassandra(
            infra.getString("cassandra.version"),
            cassandra.getString("host"),
            cassandra.getInt("port"),
            infra.getInt("cassandra.storage-port"),
            infra.getString("cassandra.heap"),
            infra.getDuration("cassandra.start-timeout"),
            cassandra.getString("keyspace"),
            cassandra.getString("replication")),
        new Kafka(
            infra.getString("kafka.version"),
            kafka.getString("host"),
            kafka.getInt("port"),
            infra.getInt("kafka.controller-port"),
            infra.getString("kafka.heap"),
            infra.getDuration("kafka.start-timeout"),
            topics),
        infra.getBoolean("secure"));
  }

  public InfraSettings withVarDir(Path dir) {
    return new InfraSettings(
        home,
        dir,
        cacheDir,
        schemaDir,
        mavenCommand,
        minFreeMemoryMb,
        minFreeDiskMb,
        cassandra,
        kafka,
        secure);
  }

  /** {@code --secure}: the servers require logins (see pulse/infra/local-servers.conf). */
  public InfraSettings withSecure(boolean on) {
    return new InfraSettings(
        home,
        varDir,
        cacheDir,
        schemaDir,
        mavenCommand,
        minFreeMemoryMb,
        minFreeDiskMb,
        cassandra,
        kafka,
        on);
  }

  public InfraSettings withPorts(int cqlPort, int storagePort, int kafkaPort, int controllerPort) {
    return new InfraSettings(
        home,
        varDir,
        cacheDir,
        schemaDir,
        mavenCommand,
        minFreeMemoryMb,
        minFreeDiskMb,
        new Cassandra(
            cassandra.version(),
            cassandra.host(),
            cqlPort,
            storagePort,
            cassandra.heap(),
            cassandra.startTimeout(),
            cassandra.keyspace(),
            cassandra.replication()),
        new Kafka(
            kafka.version(),
            kafka.host(),
            kafkaPort,
            controllerPort,
            kafka.heap(),
            kafka.startTimeout(),
            kafka.topics()),
        secure);
  }

  public InfraSettings withCassandraStartTimeout(Duration timeout) {
    return new InfraSettings(
        home,
        varDir,
        cacheDir,
        schemaDir,
        mavenCommand,
        minFreeMemoryMb,
        minFreeDiskMb,
        new Cassandra(
            cassandra.version(),
            cassandra.host(),
            cassandra.nativePort(),
            cassandra.storagePort(),
            cassandra.heap(),
            timeout,
            cassandra.keyspace(),
            cassandra.replication()),
        kafka,
        secure);
  }

  public Path logDir() {
    return varDir.resolve("log");
  }

  public Path runDir() {
    return varDir.resolve("run");
  }
}
