package pulse.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import pulse.infra.LocalTls;
import pulse.infra.junit.RealInfra;

/**
 * The integration tests' HTTP client for one node (get, post, awaitReady) and their one polling
 * loop (await).
 */
final class TestClient {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final HttpClient http;
  private final String base;
  private final Duration timeout;
  private final String key;

  /**
   * {@code base} like {@code http://127.0.0.1:8080}; every request times out after {@code timeout}.
   */
  TestClient(String base, Duration timeout) {
    this(base, timeout, RealInfra.TEST_ADMIN_KEY);
  }

  /** {@code key}: sent as the bearer key with every request; null sends none. */
  TestClient(String base, Duration timeout, String key) {
    this(HTTP, base, timeout, key);
  }

  private TestClient(HttpClient http, String base, Duration timeout, String key) {
    this.http = http;
    this.base = base;
    this.timeout = timeout;
    this.key = key;
  }

  /** The same node, calling with {@code key} (null: none) instead of the test admin key. */
  TestClient withKey(String key) {
    return new TestClient(http, base, timeout, key);
  }

  /** A node on this machine; requests time out after 30 s. */
  static TestClient of(int port) {
    return of(port, Duration.ofSeconds(30));
  }

  static TestClient of(int port, Duration timeout) {
    return new TestClient("http://127.0.0.1:" + port, timeout);
  }

  /** A node or balancer on this machine serving HTTPS with a certificate {@code trust} accepts. */
  static TestClient https(int port, SSLContext trust, Duration timeout) {
    HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(trust).build();
    return new TestClient(client, "https://127.0.0.1:" + port, timeout, RealInfra.TEST_ADMIN_KEY);
  }

  /** A client context that trusts the CA of {@code tls} (its trust store). */
  static SSLContext trusting(LocalTls.Material tls) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(tls.trustStore())) {
      trust.load(in, tls.password().toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  /** An answer: status, body, headers, and the body as JSON on demand. */
  record Response(int status, String body, HttpHeaders headers) {
    JsonNode json() {
      try {
        return JsonSupport.MAPPER.readTree(body);
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException("not JSON (status " + status + "): " + body, e);
      }
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  /** A request to this node with the client's timeout, for what get and post do not cover. */
  HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
    return key == null ? b : b.header("Authorization", "Bearer " + key);
  }

  Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return response(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
  }

  private static Response response(HttpResponse<String> r) {
    return new Response(r.statusCode(), r.body(), r.headers());
  }

  Response get(String path) throws IOException, InterruptedException {
    return send(request(path).GET());
  }

  CompletableFuture<Response> getAsync(String path) {
    return http.sendAsync(request(path).GET().build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(TestClient::response);
  }

  /** POST with a JSON body. */
  Response post(String path, String json) throws IOException, InterruptedException {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /**
   * Posts events until the answer is other than 503, as a client told 503 redelivers the same
   * events (a 503 may come after they were persisted; the redelivery then counts nothing), and
   * returns that answer; fails after {@code within}.
   */
  Response deliverEvents(String json, Duration within) throws Exception {
    return await(
        "an answer other than 503 to POST /v1/events " + json,
        within,
        Duration.ofMillis(200),
        () -> post("/v1/events", json),
        r -> r.status() != 503);
  }

  Response delete(String path) throws IOException, InterruptedException {
    return send(request(path).DELETE());
  }

  /** Polls GET /ready every 500 ms until it answers 200; not listening yet counts as not ready. */
  void awaitReady(Duration within) throws Exception {
    await(
        base + "/ready to answer 200",
        within,
        Duration.ofMillis(500),
        () -> {
          try {
            return get("/ready");
          } catch (IOException notListeningYet) {
            return notListeningYet;
          }
        },
        answer -> answer instanceof Response r && r.status() == 200);
  }

  /**
   * Calls {@code probe} every {@code every} until its value satisfies {@code until} and returns
   * that value; fails after {@code within} saying what was awaited and the last value seen. An
   * exception from the probe ends the wait.
   */
  static <T> T await(
      String what,
      Duration within,
      Duration every,
      Callable<? extends T> probe,
      Predicate<? super T> until)
      throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      last = probe.call();
      if (until.test(last)) {
        return last;
      }
      Thread.sleep(every.toMillis());
    }
    throw new AssertionError(
        "timed out after "
            + within.toString().substring(2).toLowerCase()
            + " waiting for "
            + what
            + "; last seen: "
            + last);
  }
}
