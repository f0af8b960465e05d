package pulse.model.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HR@10 / NDCG@10 against 100 sampled negatives and against the full catalogue (seen items
 * excluded).
 */
public record EvalFigures(
    double sampledHr10, double sampledNdcg10, double fullHr10, double fullNdcg10, int users) {

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sampled_hr10", round(sampledHr10));
    m.put("sampled_ndcg10", round(sampledNdcg10));
    m.put("full_hr10", round(fullHr10));
    m.put("full_ndcg10", round(fullNdcg10));
    m.put("users", users);
    return m;
  }

  private static double round(double v) {
    return Math.round(v * 1e5) / 1e5;
  }
}
