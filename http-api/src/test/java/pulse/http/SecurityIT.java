package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.http.TestClient.Response;
import pulse.http.auth.ApiKeys;
import pulse.infra.CassandraServer;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;

/**
 * A real node with a key per role, called as clients would: 401 without a key or with a wrong one,
 * 403 with the wrong role on each admin route, the right role gets through; an oversized events
 * body is a JSON 413 and persists nothing; a text/plain body is a 415; an unknown path is a JSON
 * 404; a key added to the keys file works without a restart.
 */
@ExtendWith(RealInfraExtension.class)
class SecurityIT {
  private static final String INGEST = "ingest-key-for-security-it-0123456789";
  private static final String READ = "read-key-for-security-it-0123456789ab";
  private static final String ROTATED = "rotated-read-key-for-security-it-0123";

  private static PulseNode node;
  private static TestClient admin;
  private static TestClient ingest;
  private static TestClient read;
  private static TestClient anonymous;
  private static Path keysFile;

  @BeforeAll
  static void start(RealInfra infra) throws Exception {
    keysFile = Files.createTempFile(infra.varDir(), "api-keys", ".txt");
    Files.writeString(keysFile, "# keys of SecurityIT\n");
    node =
        PulseNode.start(
            infra.testNodeConfig(
                ConfigFactory.parseString(
                    "pulse.http.auth { clear-keys { ingest = \""
                        + INGEST
                        + "\", read = \""
                        + READ
                        + "\" }, keys-file = \""
                        + keysFile
                        + "\", reload-interval = 200ms }")));
    admin = TestClient.of(node.httpPort());
    ingest = admin.withKey(INGEST);
    read = admin.withKey(READ);
    anonymous = admin.withKey(null);
    admin.awaitReady(Duration.ofSeconds(90));
  }

  @AfterAll
  static void stop() throws Exception {
    node.awaitStopped(Duration.ofSeconds(60));
  }

  private static String event(String user, String id) {
    return "[{\"eventId\":\""
        + id
        + "\",\"userId\":\""
        + user
        + "\",\"itemId\":\"sku-1\",\"type\":\"click\",\"timestamp\":"
        + System.currentTimeMillis()
        + "}]";
  }

  @Test
  void eachRouteNeedsAKeyOfItsRole() throws Exception {
    String user = "sec-" + System.nanoTime();
    Response none = anonymous.post("/v1/events", event(user, user + "-1"));
    assertEquals(401, none.status(), none.body());
    assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    assertTrue(none.json().has("error"));
    assertEquals(
        401,
        admin.withKey("wrong-key-0123456789abcdef0123456789").get("/v1/model").status(),
        "an unknown key");
    assertEquals(403, read.post("/v1/events", event(user, user + "-1")).status());
    assertEquals(202, ingest.post("/v1/events", event(user, user + "-1")).status());
    assertEquals(403, ingest.get("/v1/users/" + user + "/features").status());
    assertEquals(200, read.get("/v1/users/" + user + "/features").status());
    assertEquals(200, read.get("/v1/users/" + user + "/recommendations").status());
    assertEquals(200, read.get("/v1/model").status());
    for (String[] adminRoute :
        List.of(
            new String[] {"POST", "/v1/model/pause"},
            new String[] {"POST", "/v1/model/resume"},
            new String[] {"POST", "/v1/model/rollback"},
            new String[] {"POST", "/v1/items"},
            new String[] {"DELETE", "/v1/users/" + user})) {
      for (TestClient wrong : List.of(read, ingest)) {
        Response r =
            wrong.send(
                wrong
                    .request(adminRoute[1])
                    .header("Content-Type", "application/json")
                    .method(
                        adminRoute[0], java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(403, r.status(), adminRoute[0] + " " + adminRoute[1] + ": " + r.body());
        assertTrue(r.json().get("error").asText().contains("admin"), r.body());
      }
    }
    Response forgotten = admin.delete("/v1/users/" + user);
    assertEquals(200, forgotten.status(), forgotten.body());
    for (String open : List.of("/health", "/ready", "/metrics")) {
      assertEquals(200, anonymous.get(open).status(), open + " is open");
    }
  }

  @Test
  void anOversizedEventsBodyIsAJson413AndPersistsNothing() throws Exception {
    String user = "big-" + System.nanoTime();
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < 20_000; i++) {
      String one = event(user, user + "-" + i);
      body.append(i == 0 ? "" : ",").append(one, 1, one.length() - 1);
    }
    body.append("]");
    assertTrue(body.length() > 2 * 1024 * 1024, "the body is over the 2 MiB limit");
    Response tooBig = ingest.post("/v1/events", body.toString());
    assertEquals(
        413, tooBig.status(), tooBig.body().substring(0, Math.min(300, tooBig.body().length())));
    assertEquals("$", tooBig.json().get("field").asText());
    assertEquals(404, read.get("/v1/users/" + user + "/features").status(), "nothing persisted");
  }

  @Test
  void readingFeaturesOfUnknownUsersWritesNothing(RealInfra infra) throws Exception {
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      users.add("nobody-" + System.nanoTime() + "-" + i);
    }
    for (String u : users) {
      assertEquals(404, read.get("/v1/users/" + u + "/features").status());
    }
    try (CqlSession cql =
        CqlSession.builder()
            .addContactPoint(new InetSocketAddress(infra.cassandraHost(), infra.cassandraPort()))
            .withLocalDatacenter(CassandraServer.DATACENTER)
            .build()) {
      for (String u : users) {
        for (String query :
            List.of(
                "SELECT count(*) FROM pulse.messages WHERE persistence_id = ? AND partition_nr = 0",
                "SELECT count(*) FROM pulse.snapshots WHERE persistence_id = ?")) {
          long rows = cql.execute(SimpleStatement.newInstance(query, "User|" + u)).one().getLong(0);
          assertEquals(0, rows, query + " for " + u);
        }
      }
    }
  }

  @Test
  void aBodyThatIsNotJsonIsA415() throws Exception {
    Response r =
        ingest.send(
            ingest
                .request("/v1/events")
                .header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(event("t", "t-1"))));
    assertEquals(415, r.status(), r.body());
    assertEquals("Content-Type", r.json().get("field").asText());
  }

  @Test
  void anUnknownPathIsAJson404ForACallerWithAKey() throws Exception {
    assertEquals(401, anonymous.get("/v1/no-such-route").status());
    Response r = read.get("/v1/no-such-route");
    assertEquals(404, r.status());
    assertTrue(r.json().has("error"), r.body());
  }

  @Test
  void anOverlongUriOrHeaderIsRefusedAsJsonBeforeAnyRoute() throws Exception {
    Response uri = read.get("/v1/items/" + "x".repeat(3000));
    assertEquals(414, uri.status(), uri.body());
    assertTrue(uri.json().has("error"), uri.body());
    Response header =
        read.send(read.request("/v1/model").header("X-Padding", "y".repeat(9000)).GET());
    assertEquals(431, header.status(), header.body());
    assertTrue(header.json().has("error"), header.body());
  }

  @Test
  void aKeyAddedToTheKeysFileWorksWithoutARestart() throws Exception {
    TestClient rotated = admin.withKey(ROTATED);
    assertEquals(401, rotated.get("/v1/model").status());
    List<String> lines = new ArrayList<>(Files.readAllLines(keysFile));
    lines.add("read " + ApiKeys.hashHex(ROTATED) + " rotated-dashboard");
    Files.write(keysFile, lines);
    TestClient.await(
        "the new key to be accepted",
        Duration.ofSeconds(30),
        Duration.ofMillis(200),
        () -> rotated.get("/v1/model").status(),
        s -> s == 200);
    assertFalse(Files.readString(keysFile).contains(ROTATED), "the file holds hashes only");
  }
}
