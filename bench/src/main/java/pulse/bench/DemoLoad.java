package pulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import pulse.engine.event.UserEvent;
import pulse.http.JsonSupport;

/**
 * The demo's data: a synthetic shop (catalog and a week of behaviour, generated here, no external
 * data) sent to a running node over its public API, then a few users' features printed. Running it
 * again sends the same eventIds, which the node recognises as duplicates.
 */
public final class DemoLoad {
  private DemoLoad() {}

  public static void main(String[] args) throws Exception {
    String base = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
    SyntheticData.Dataset shop = SyntheticData.generate(SyntheticData.Spec.demo(Instant.now()));
    HttpClient http = HttpClient.newHttpClient();
    long t0 = System.nanoTime();
    for (String batch : WireJson.itemBatches(shop.items(), 1000)) {
      expect(http.send(post(base + "/v1/items", batch), HttpResponse.BodyHandlers.ofString()), 200);
    }
    int accepted = 0;
    int duplicates = 0;
    for (String batch : WireJson.eventBatches(shop.events(), 1000)) {
      JsonNode answer =
          JsonSupport.MAPPER.readTree(
              expect(
                  http.send(post(base + "/v1/events", batch), HttpResponse.BodyHandlers.ofString()),
                  202));
      accepted += answer.get("accepted").asInt();
      duplicates += answer.get("duplicates").asInt();
    }
    System.out.printf(
        Locale.ROOT,
        "loaded %,d items and %,d events (%,d new, %,d duplicates of an earlier run) in %.1f s%n",
        shop.items().size(),
        shop.events().size(),
        accepted,
        duplicates,
        (System.nanoTime() - t0) / 1e9);

    Map<String, Long> perUser =
        shop.events().stream()
            .collect(Collectors.groupingBy(UserEvent::userId, Collectors.counting()));
    List<String> users =
        perUser.entrySet().stream()
            .sorted(
                Map.Entry.<String, Long>comparingByValue()
                    .reversed()
                    .thenComparing(Map.Entry.comparingByKey()))
            .map(Map.Entry::getKey)
            .limit(3)
            .toList();
    Map<String, String> titles =
        shop.items().stream()
            .collect(Collectors.toMap(i -> i.itemId(), i -> i.title(), (a, b) -> a));
    for (String user : users) {
      JsonNode f =
          JsonSupport.MAPPER
              .readTree(
                  expect(
                      http.send(
                          BenchKeys.request(URI.create(base + "/v1/users/" + user + "/features"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString()),
                      200))
              .get("features");
      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "user %s: %d events; last 24 h: %s%n",
          user,
          f.get("totalEvents").asLong(),
          counts(f.at("/windows/2/counts")));
      System.out.println("  top categories (1 h | 7 d half-life): " + top(f.get("topCategories")));
      JsonNode s = f.get("session");
      System.out.println(
          "  session: "
              + (s == null || s.isNull()
                  ? "none open"
                  : s.get("events").asInt()
                      + " events on "
                      + s.get("distinctItems").asInt()
                      + " items over "
                      + s.get("durationMillis").asLong() / 60_000
                      + " min"));
      JsonNode ctr = f.at("/clickThrough/1");
      System.out.println(
          "  CTR 24 h: "
              + (ctr.has("ctr")
                  ? String.format(
                      Locale.ROOT,
                      "%.1f%% (%d clicks / %d impressions)",
                      100 * ctr.get("ctr").asDouble(),
                      ctr.get("clicks").asLong(),
                      ctr.get("impressions").asLong())
                  : "no impressions"));
      JsonNode recent = f.get("recent");
      StringBuilder last = new StringBuilder();
      for (int i = Math.max(0, recent.size() - 4); i < recent.size(); i++) {
        JsonNode r = recent.get(i);
        last.append(i > Math.max(0, recent.size() - 4) ? ", " : "")
            .append(r.get("type").asText())
            .append(' ')
            .append(titles.getOrDefault(r.get("itemId").asText(), r.get("itemId").asText()));
      }
      System.out.println("  latest: " + last);
      System.out.println("  full JSON: curl " + base + "/v1/users/" + user + "/features");
    }
  }

  private static String counts(JsonNode counts) {
    StringBuilder out = new StringBuilder();
    counts
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().asLong() > 0) {
                out.append(out.length() == 0 ? "" : ", ")
                    .append(e.getValue().asLong())
                    .append(' ')
                    .append(e.getKey());
              }
            });
    return out.toString();
  }

  private static String top(JsonNode categories) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(3, categories.size()); i++) {
      JsonNode c = categories.get(i);
      out.append(i == 0 ? "" : ", ")
          .append(
              String.format(
                  Locale.ROOT,
                  "%s %.2f | %.2f",
                  c.get("category").asText(),
                  c.get("shortTerm").asDouble(),
                  c.get("longTerm").asDouble()));
    }
    return out.toString();
  }

  private static HttpRequest post(String url, String body) {
    return BenchKeys.request(URI.create(url))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static String expect(HttpResponse<String> r, int status) {
    if (r.statusCode() != status) {
      throw new IllegalStateException(r.uri() + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }
}
