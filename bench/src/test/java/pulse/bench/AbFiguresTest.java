package pulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class AbFiguresTest {
  // Shaped as GET /v1/experiments/{name} answers (README, Experiments), trimmed.
  private static final String FIGURES =
      """
      {"name":"ab-x-model-vs-trending","status":"running","control":"trending",
       "figures":[
        {"variant":"trending","lists":2400,"clicks":190,
         "ctr":{"estimate":0.079,"low":0.069,"high":0.091},
         "ndcg10":{"estimate":0.041,"low":0.036,"high":0.046},"p99Ms":20.0,"fallbackShare":1.0},
        {"variant":"model","lists":2600,"clicks":420,
         "ctr":{"estimate":0.161,"low":0.147,"high":0.176},
         "ndcg10":{"estimate":0.085,"low":0.078,"high":0.092},"p99Ms":50.0,"fallbackShare":0.01,
         "ctrVsControl":{"estimate":0.082,"low":0.064,"high":0.100},
         "ndcg10VsControl":{"estimate":0.044,"low":0.035,"high":0.053}}],
       "openLists":0}
      """;

  @Test
  void everyTreatmentAgainstTheControlCtrFirst() throws Exception {
    JsonNode f = new ObjectMapper().readTree(FIGURES);
    List<AbFigures.Comparison> c = AbFigures.comparisons(f);
    assertEquals(2, c.size());
    assertEquals(
        new AbFigures.Comparison(
            "ab-x-model-vs-trending", "trending", "model", "ctr@10", 0.082, 0.064, 0.100),
        c.get(0));
    assertEquals("ndcg@10", c.get(1).metric());
    assertEquals(0.035, c.get(1).low(), 1e-12);
    JsonNode line = new ObjectMapper().readTree(c.get(0).json());
    assertEquals("trending", line.get("control").asText());
    assertEquals(0.064, line.get("low").asDouble(), 1e-12);
  }

  @Test
  void aMissingIntervalIsNullInTheJsonNotNaN() throws Exception {
    JsonNode f =
        new ObjectMapper()
            .readTree(
                "{\"name\":\"e\",\"control\":\"a\",\"figures\":[{\"variant\":\"a\"},"
                    + "{\"variant\":\"b\",\"ctrVsControl\":{\"estimate\":null}}]}");
    JsonNode line = new ObjectMapper().readTree(AbFigures.comparisons(f).get(0).json());
    assertTrue(line.get("diff").isNull());
    assertTrue(line.get("low").isNull());
  }

  @Test
  void theTableHasAVariantLineEachAndSaysWhichIntervalsExcludeZero() throws Exception {
    List<String> table = AbFigures.table(new ObjectMapper().readTree(FIGURES));
    assertEquals(1 + 2 + 2, table.size());
    assertTrue(table.get(1).contains("trending") && table.get(1).contains("2,400"), table.get(1));
    assertTrue(table.get(3).contains("model - trending, ctr@10: +0.0820"), table.get(3));
    assertTrue(table.get(3).contains("excludes 0"), table.get(3));
  }
}
