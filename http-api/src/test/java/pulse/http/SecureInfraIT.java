package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.engine.event.UserEvent;
import pulse.http.TestClient.Response;
import pulse.infra.CassandraServer;
import pulse.infra.InfraCredentials;
import pulse.infra.credentials.CassandraAuth;
import pulse.infra.credentials.CredentialsCheck;
import pulse.infra.credentials.KafkaSecurity;
import pulse.infra.junit.RealInfra;

/**
 * Credentials to the data plane, end to end: Cassandra with PasswordAuthenticator and Kafka with
 * SASL/SCRAM-SHA-512, as {@code bin/pulse infra start --secure} runs them, refuse clients without
 * Pulse's login; a node given the login (in its environment, as bin/pulse gives it) serves events
 * from HTTP and from Kafka; a node given a wrong one stops at start saying which server refused.
 */
class SecureInfraIT {
  private static final Duration CHECK = Duration.ofSeconds(5);
  private static final String WRONG = "not-the-password-4711";
  private static RealInfra infra;
  private static InfraCredentials logins;

  @TempDir static Path workDir;

  @BeforeAll
  static void start() {
    infra = RealInfra.startSecure();
    logins = infra.logins();
  }

  @AfterAll
  static void stop() {
    if (infra != null) {
      infra.close();
    }
  }

  @Test
  void theCredentialsFileIsTheOwnersOnly() throws Exception {
    Path file = InfraCredentials.file(infra.varDir());
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(logins, InfraCredentials.read(file));
  }

  @Test
  void cassandraRefusesNoLoginAWrongOneAndTheDefaultSuperuser() {
    assertTrue(cassandraRefusal(CassandraAuth.NONE).isPresent(), "no login");
    assertTrue(
        cassandraRefusal(new CassandraAuth(logins.cassandra().username(), "wrong")).isPresent(),
        "a wrong password");
    assertTrue(
        cassandraRefusal(new CassandraAuth("cassandra", "cassandra")).isPresent(),
        "the well-known default superuser");
    assertEquals(Optional.empty(), cassandraRefusal(logins.cassandra()), "Pulse's login");
  }

  @Test
  void kafkaRefusesAWrongPasswordAndAnswersNoClientWithoutSasl() {
    KafkaSecurity k = logins.kafka();
    Optional<String> wrong =
        CredentialsCheck.kafkaRefusal(
            infra.kafkaBootstrapServers(),
            new KafkaSecurity(k.protocol(), k.mechanism(), k.username(), "wrong"),
            CHECK);
    assertTrue(wrong.isPresent(), "a wrong password");
    assertTrue(wrong.get().contains("Authentication failed"), wrong.get());
    // A client without SASL gets no answer at all (the broker waits for a SASL handshake).
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CHECK.toMillis());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CHECK.toMillis());
    try (Admin admin = Admin.create(p)) {
      assertThrows(
          Exception.class,
          () -> admin.listTopics().names().get(CHECK.toMillis() * 2, TimeUnit.MILLISECONDS));
    }
    assertEquals(
        Optional.empty(),
        CredentialsCheck.kafkaRefusal(infra.kafkaBootstrapServers(), k, CHECK),
        "Pulse's login");
  }

  @Test
  void aNodeWithTheLoginsServesEventsFromHttpAndKafka() throws Exception {
    int port = NodeProcess.freePort();
    try (NodeProcess node =
        NodeProcess.launch(
            infra,
            port,
            workDir,
            "secure-node",
            "akka.management.http.port = 0\n",
            logins.environment())) {
      node.awaitReady(Duration.ofSeconds(120));
      TestClient client = TestClient.of(port);
      long now = System.currentTimeMillis();

      List<UserEvent> overHttp = TestEvents.generate("secure-http", 1, 20, now, 11);
      Response posted = client.post("/v1/events", TestEvents.jsonArray(overHttp));
      assertEquals(202, posted.status(), posted.body());
      assertEquals(20, posted.json().get("accepted").asInt());
      assertEquals(
          TestEvents.expected(overHttp, now),
          UserIngestIT.features(client, overHttp.get(0).userId(), now));

      List<UserEvent> overKafka = TestEvents.generate("secure-kafka", 1, 10, now, 12);
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
      logins.kafka().addTo(p);
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
        for (UserEvent e : overKafka) {
          producer.send(
              new ProducerRecord<>("user-events", e.userId(), TestEvents.json(e).toString()));
        }
        producer.flush();
      }
      String kafkaUser = overKafka.get(0).userId();
      TestClient.await(
          "the events produced with SASL to be ingested",
          Duration.ofSeconds(60),
          Duration.ofMillis(300),
          () -> client.get("/v1/users/" + kafkaUser + "/features?at=" + now),
          r -> r.status() == 200 && r.json().at("/features/totalEvents").asInt() == 10);
      assertEquals(
          TestEvents.expected(overKafka, now), UserIngestIT.features(client, kafkaUser, now));
    }
  }

  @Test
  void aNodeWithAWrongPasswordStopsAtStartSayingWhichServerRefused() throws Exception {
    Map<String, String> badCassandra = new HashMap<>(logins.environment());
    badCassandra.put("PULSE_CASSANDRA_PASSWORD", WRONG);
    assertStopsSaying(
        badCassandra, "bad-cassandra", "Cassandra refused the login of pulse.cassandra.auth");
    Map<String, String> badKafka = new HashMap<>(logins.environment());
    badKafka.put("PULSE_KAFKA_PASSWORD", WRONG);
    assertStopsSaying(badKafka, "bad-kafka", "Kafka refused the login of pulse.kafka.security");
  }

  private static void assertStopsSaying(Map<String, String> env, String name, String expected)
      throws Exception {
    try (NodeProcess node =
        NodeProcess.launch(
            infra, NodeProcess.freePort(), workDir, name, "akka.management.http.port = 0\n", env)) {
      assertTrue(node.awaitExit(Duration.ofSeconds(60)), name + " did not stop");
      assertEquals(1, node.exitValue());
      String log = Files.readString(workDir.resolve(name + ".log"));
      assertTrue(log.contains(expected), log);
      assertTrue(!log.contains(WRONG), "the password must not be printed: " + log);
    }
  }

  private static Optional<String> cassandraRefusal(CassandraAuth auth) {
    return CredentialsCheck.cassandraRefusal(
        infra.cassandraHost(), infra.cassandraPort(), CassandraServer.DATACENTER, auth, CHECK);
  }
}
