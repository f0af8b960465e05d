package pulse.model.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.model.ModelConfig;
import pulse.model.export.JsonCodec;
import pulse.model.export.Manifest;
import pulse.model.export.ModelDirectory;
import pulse.model.train.TransitionWeights;

class ModelCliTest {

  private record Run(int code, String out, String err) {}

  private static Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ModelCli.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void badArgumentsGiveOneLineAndExitCode2(@TempDir Path tmp) {
    assertEquals(2, cli().code());
    assertEquals(2, cli("frobnicate").code());
    Run missing =
        cli(
            "train",
            "--data",
            tmp.resolve("absent.txt").toString(),
            "--format",
            "sasrec",
            "--out",
            "x");
    assertEquals(2, missing.code());
    assertTrue(missing.err().startsWith("error: --data: file not found"), missing.err());
    assertEquals(
        2, cli("eval", "--model", tmp.toString(), "--data", "x", "--format", "sasrec").code());
    assertEquals(2, cli("bench", "--model", tmp.toString(), "--nope", "1").code());
  }

  @Test
  void trainThenEvalOnASyntheticSequenceSet(@TempDir Path tmp) throws Exception {
    // 60 users walking a cycle of 12 items from different starting points: strongly sequential
    // data.
    List<String> lines = new ArrayList<>();
    for (int u = 0; u < 60; u++) {
      for (int t = 0; t < 8; t++) lines.add("u" + u + " i" + ((u + t) % 12));
    }
    Path data = tmp.resolve("cycle.txt");
    Files.write(data, lines, StandardCharsets.UTF_8);
    Path model = tmp.resolve("model");
    Run train =
        cli(
            "train",
            "--data",
            data.toString(),
            "--format",
            "sasrec",
            "--out",
            model.toString(),
            "--epochs",
            "3",
            "--d",
            "8",
            "--heads",
            "2",
            "--blocks",
            "1",
            "--max-len",
            "8",
            "--dropout",
            "0.1",
            "--batch",
            "16",
            "--eval-every",
            "1",
            "--val-users",
            "0",
            "--spare-items",
            "5");
    assertEquals(0, train.code(), train.err());
    assertTrue(train.out().contains("epoch   3"), train.out());
    assertTrue(train.out().contains("12 items (+5 spare rows)"), train.out());
    assertTrue(train.out().contains("chosen by validation full NDCG@10"), train.out());
    Manifest manifest = ModelDirectory.readManifest(model);
    assertEquals(17, manifest.config().numItems(), "12 items + 5 spare rows");
    assertEquals(12, manifest.itemIds().size());
    assertEquals(64, ModelConfig.defaultSpareItems(12));
    assertEquals(1000, ModelConfig.defaultSpareItems(10_000));
    for (String[] bad :
        List.of(
            new String[] {"--spare-items", "-2"},
            new String[] {"--transition-weight", "-1"},
            new String[] {"--transition-decay", "2"},
            new String[] {"--refit-epochs", "-1"})) {
      List<String> argv =
          new ArrayList<>(
              List.of(
                  "train",
                  "--data",
                  data.toString(),
                  "--format",
                  "sasrec",
                  "--out",
                  model.toString()));
      argv.addAll(List.of(bad));
      assertEquals(2, cli(argv.toArray(String[]::new)).code(), String.join(" ", bad));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> transitions = (Map<String, Object>) manifest.metrics().get("transitions");
    assertEquals(
        TransitionWeights.grid(TransitionWeights.WEIGHTS, TransitionWeights.DECAYS).size(),
        ((List<?>) transitions.get("validation")).size());

    Run eval =
        cli("eval", "--model", model.toString(), "--data", data.toString(), "--format", "sasrec");
    assertEquals(0, eval.code(), eval.err());
    String[] outLines = eval.out().strip().split("\n");
    @SuppressWarnings("unchecked")
    Map<String, Object> json = (Map<String, Object>) JsonCodec.parse(outLines[outLines.length - 1]);
    assertEquals("eval", json.get("command"));
    assertEquals(Boolean.TRUE, json.get("sameDataAsTraining"));
    @SuppressWarnings("unchecked")
    Map<String, Object> results = (Map<String, Object>) json.get("results");
    assertTrue(
        results.keySet().containsAll(List.of("model", "most-popular", "last-item-cooccurrence")));

    // The small mode: only the sizes asked for; the model's own length with its trained weights.
    Run bench =
        cli(
            "bench",
            "--model",
            model.toString(),
            "--batches",
            "1,4",
            "--lengths",
            "8",
            "--iterations",
            "3");
    assertEquals(0, bench.code(), bench.err());
    String[] benchLines = bench.out().strip().split("\n");
    @SuppressWarnings("unchecked")
    Map<String, Object> benchJson =
        (Map<String, Object>) JsonCodec.parse(benchLines[benchLines.length - 1]);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) benchJson.get("results");
    assertEquals(
        List.of(1, 4), rows.stream().map(r -> ((Number) r.get("batch")).intValue()).toList());
    assertTrue(rows.stream().allMatch(r -> "trained".equals(r.get("weights"))), rows.toString());
    assertEquals(2, cli("bench", "--model", model.toString(), "--batches", "1,0").code());
  }
}
