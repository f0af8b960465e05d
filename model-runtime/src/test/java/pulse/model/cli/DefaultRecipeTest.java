package pulse.model.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.model.SharedData;

/**
 * The default recipe of {@code bin/pulse train} (no option but a time bound that fits CI) on
 * MovieLens 100K, read from {@code ../shared/datasets} beside the repository as CI has it, scored
 * on the held-out (test) item of every user by full-ranking NDCG@10: it must beat most-popular by
 * 50% and last-item co-occurrence (0.094 here, a strong baseline on this data). Unbounded, the
 * defaults early-stop after 84 s on a quiet box at 0.117 (most-popular 0.045); the 3-minute bound
 * leaves room for a slower machine.
 */
class DefaultRecipeTest {
  private static final String DATA = "../shared/datasets/ml-100k/u.data";

  @Test
  void defaultRecipeBeatsTheBaselinesOnMovieLens100k(@TempDir Path tmp) throws Exception {
    Path data = SharedData.locate(DATA);
    assertNotNull(
        data,
        DATA
            + " not found relative to -Dpulse.home or a parent of "
            + Path.of("").toAbsolutePath()
            + ": this test needs the shared datasets beside the repository");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    String[] argv = {
      "train",
      "--data",
      data.toString(),
      "--format",
      "movielens",
      "--out",
      tmp.resolve("model").toString(),
      "--max-minutes",
      "3"
    };
    Map<String, Object> line =
        ModelCli.train(
            new Args(argv, 1, ModelCli.TRAIN_FLAGS),
            new PrintStream(log, true, StandardCharsets.UTF_8));
    String printed = log.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("loss ce (full softmax)"), printed);
    assertTrue(printed.contains("chosen by validation full NDCG@10"), printed);
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> test = (Map<String, Map<String, Object>>) line.get("test");
    double model = full(test, "model");
    double popular = full(test, "most-popular");
    double cooccurrence = full(test, "last-item-cooccurrence");
    assertEquals(943, ((Number) test.get("model").get("users")).intValue());
    assertTrue(
        model > 1.5 * popular && model > cooccurrence,
        String.format(
            "full NDCG@10: model %.4f, most-popular %.4f, co-occurrence %.4f%n%s",
            model, popular, cooccurrence, printed));
  }

  private static double full(Map<String, Map<String, Object>> test, String scorer) {
    return ((Number) test.get(scorer).get("full_ndcg10")).doubleValue();
  }
}
