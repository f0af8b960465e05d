package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.infra.PulseConfig;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;
import pulse.testing.PrometheusScrape;

/**
 * A running node's /metrics beside Pulse's own series: the JVM's, the Kafka clients' (the ingest
 * consumer's records lag per partition), the Cassandra driver's session metrics and the sharding
 * gauges; and pulse_events_ingested_total moving with HTTP ingest.
 */
@ExtendWith(RealInfraExtension.class)
class MetricsScrapeIT {
  private static PulseNode node;
  private static TestClient client;
  private static RealInfra infra;

  @BeforeAll
  static void start(RealInfra realInfra) throws Exception {
    infra = realInfra;
    node = PulseNode.start(infra.testNodeConfig(ConfigFactory.empty()));
    client = TestClient.of(node.httpPort());
    client.awaitReady(Duration.ofSeconds(90));
  }

  @AfterAll
  static void stop() throws Exception {
    node.awaitStopped(Duration.ofSeconds(60));
  }

  private static String scrape() throws Exception {
    return client.get("/metrics").body();
  }

  @Test
  void theJvmKafkaCassandraAndShardingAreScrapedBesidePulsesOwn() throws Exception {
    String scrape =
        TestClient.await(
            "the Kafka consumer's lag and the Cassandra driver's requests on /metrics",
            Duration.ofSeconds(60),
            Duration.ofMillis(500),
            MetricsScrapeIT::scrape,
            s ->
                PrometheusScrape.has(s, "kafka_consumer_fetch_manager_records_lag")
                    && PrometheusScrape.has(s, "cassandra_cql_requests_total"));
    for (String series :
        new String[] {
          "jvm_memory_used_bytes",
          "jvm_gc_pause_seconds_count",
          "jvm_threads_live_threads",
          "process_cpu_usage",
          "kafka_producer_record_send_total",
          "cassandra_cql_requests_seconds",
          "cassandra_connected_nodes",
          "pulse_sharding_shards",
          "pulse_ready"
        }) {
      assertTrue(PrometheusScrape.has(scrape, series), series + " in\n" + scrape);
    }
  }

  /** PromQL words that are not metric names. */
  private static final Set<String> PROMQL =
      Set.of(
          "sum",
          "by",
          "without",
          "rate",
          "irate",
          "increase",
          "deriv",
          "histogram_quantile",
          "clamp_min",
          "count",
          "max",
          "min",
          "avg",
          "and",
          "or",
          "unless",
          "on",
          "ignoring",
          "bool",
          "offset");

  /** The series names an expression reads (labels, strings, ranges and functions removed). */
  static Set<String> seriesOf(String expr) {
    String bare =
        expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "")
            .replaceAll("\\{[^}]*\\}", "")
            .replaceAll("\\[[^\\]]*\\]", "")
            .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", "");
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
    while (m.find()) {
      String word = m.group();
      int after = m.end();
      boolean call = after < bare.length() && bare.charAt(after) == '(';
      boolean number = m.start() > 0 && Character.isDigit(bare.charAt(m.start() - 1));
      if (!call && !number && !PROMQL.contains(word) && !word.matches("\\d.*|e\\d+")) {
        names.add(word);
      }
    }
    return names;
  }

  private static List<String> expressions() throws Exception {
    Path monitoring = PulseConfig.home().resolve("conf/monitoring");
    List<String> exprs = new ArrayList<>();
    new ObjectMapper(new YAMLFactory())
        .readTree(monitoring.resolve("rules.yml").toFile())
        .findValues("expr")
        .forEach(e -> exprs.add(e.asText()));
    new ObjectMapper()
        .readTree(monitoring.resolve("grafana-dashboard.json").toFile())
        .findValues("expr")
        .forEach(e -> exprs.add(e.asText()));
    return exprs;
  }

  /**
   * Every series a rule or a dashboard panel reads is in a real scrape of a node (a family's
   * HELP/TYPE line counts: a histogram's buckets or a labelled counter's series appear with their
   * first sample), or is recorded by a rule ({@code pulse:...}), or is Prometheus's own ({@code
   * up}) or HAProxy's exporter's ({@code haproxy_...}, checked against a real HAProxy in TlsIT).
   */
  @Test
  void everySeriesTheRulesAndTheDashboardReadIsScraped() throws Exception {
    String scrape =
        TestClient.await(
            "the Kafka consumer's lag on /metrics",
            Duration.ofSeconds(60),
            Duration.ofMillis(500),
            MetricsScrapeIT::scrape,
            s -> PrometheusScrape.has(s, "kafka_consumer_fetch_manager_records_lag"));
    Set<String> recorded = new TreeSet<>();
    new ObjectMapper(new YAMLFactory())
        .readTree(PulseConfig.home().resolve("conf/monitoring/rules.yml").toFile())
        .findValues("record")
        .forEach(r -> recorded.add(r.asText()));
    List<String> missing = new ArrayList<>();
    for (String expr : expressions()) {
      for (String series : seriesOf(expr)) {
        boolean known =
            series.equals("up")
                || series.startsWith("haproxy_")
                || recorded.contains(series)
                || PrometheusScrape.has(scrape, series)
                || scrape.contains("# TYPE " + series.replaceAll("_(bucket|sum|count)$", "") + " ");
        if (!known) {
          missing.add(series + " (in " + expr + ")");
        }
      }
    }
    assertTrue(missing.isEmpty(), "not in a scrape of a running node: " + missing);
  }

  /** The rules and Prometheus's config as promtool reads them, where promtool is installed. */
  @Test
  void promtoolAcceptsTheRulesAndTheConfig() throws Exception {
    Path monitoring = PulseConfig.home().resolve("conf/monitoring");
    Assumptions.assumeTrue(
        Stream.of(System.getenv("PATH").split(":"))
            .anyMatch(d -> Files.isExecutable(Path.of(d, "promtool"))),
        "promtool is not installed (Debian: apt-get install prometheus)");
    for (List<String> check :
        List.of(
            List.of("promtool", "check", "rules", monitoring.resolve("rules.yml").toString()),
            List.of(
                "promtool", "check", "config", monitoring.resolve("prometheus.yml").toString()))) {
      Process p = new ProcessBuilder(check).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), String.join(" ", check) + ":\n" + out);
    }
  }

  @Test
  void eventsIngestedFromKafkaAreCounted() throws Exception {
    String scrape = scrape();
    double before =
        PrometheusScrape.value(scrape, "pulse_events_ingested_total", "source", "kafka");
    String user = "scrape-kafka-" + UUID.randomUUID().toString().substring(0, 8);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 3; i++) {
        producer.send(
            new ProducerRecord<>(
                "user-events",
                user,
                "{\"eventId\":\"%s-%d\",\"userId\":\"%s\",\"itemId\":\"sku-1\",\"type\":\"click\",\"timestamp\":%d}"
                    .formatted(user, i, user, System.currentTimeMillis())));
      }
      producer.flush();
    }
    TestClient.await(
        "3 more events ingested from Kafka on /metrics",
        Duration.ofSeconds(60),
        Duration.ofMillis(250),
        MetricsScrapeIT::scrape,
        s ->
            PrometheusScrape.value(s, "pulse_events_ingested_total", "source", "kafka")
                >= before + 3);
  }

  @Test
  void eventsIngestedOverHttpAreCountedAndTheirUserIsALiveEntity() throws Exception {
    double before =
        PrometheusScrape.value(scrape(), "pulse_events_ingested_total", "source", "http");
    String user = "scrape-" + UUID.randomUUID().toString().substring(0, 8);
    long now = System.currentTimeMillis();
    String events =
        "[{\"eventId\":\"%s-1\",\"userId\":\"%s\",\"itemId\":\"sku-1\",\"type\":\"click\",\"timestamp\":%d},{\"eventId\":\"%s-2\",\"userId\":\"%s\",\"itemId\":\"sku-2\",\"type\":\"view\",\"timestamp\":%d}]"
            .formatted(user, user, now, user, user, now);
    assertEquals(202, client.deliverEvents(events, Duration.ofSeconds(30)).status());
    assertEquals(
        2,
        PrometheusScrape.value(scrape(), "pulse_events_ingested_total", "source", "http") - before);
    TestClient.await(
        "a live User entity in the sharding gauge",
        Duration.ofSeconds(10),
        Duration.ofMillis(200),
        MetricsScrapeIT::scrape,
        s -> PrometheusScrape.value(s, "pulse_sharding_entities", "type", "User") >= 1);
  }
}
