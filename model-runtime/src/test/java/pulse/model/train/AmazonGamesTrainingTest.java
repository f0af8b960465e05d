package pulse.model.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.model.Device;
import pulse.model.LossKind;
import pulse.model.ModelConfig;
import pulse.model.SasRecModel;
import pulse.model.SharedData;
import pulse.model.data.DatasetFormat;
import pulse.model.data.DatasetReader;
import pulse.model.data.LeaveOneOutSplit;
import pulse.model.data.UserSequences;
import pulse.model.eval.EvalFigures;
import pulse.model.eval.Evaluator;
import pulse.model.eval.MostPopular;
import pulse.model.eval.Scorer;

/**
 * Trains a small encoder on the first users of the Amazon Games set (real data, within CI's budget)
 * and checks that it clearly beats most-popular on the held-out (test) item of every user.
 */
class AmazonGamesTrainingTest {

  private static final int USERS = 6000;

  @Test
  void smallModelBeatsMostPopularOnHeldOutItems(@TempDir Path tmp) throws Exception {
    Path video = SharedData.locate("../shared/datasets/amazon-games/Video.txt");
    Assumptions.assumeTrue(
        video != null,
        "skipped: ../shared/datasets/amazon-games/Video.txt not found "
            + "(relative to -Dpulse.home or a parent of the working directory); the dataset is not part of the repo");

    // The first USERS users, then (like SASRec's own preprocessing) only items with 5+ interactions
    // among
    // them, so a few epochs can learn item-to-item structure; users left with < 3 items drop out.
    Set<String> users = new LinkedHashSet<>();
    List<String[]> pairs = new ArrayList<>();
    for (String line : Files.readAllLines(video, StandardCharsets.UTF_8)) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 2) continue;
      if (users.size() < USERS || users.contains(f[0])) {
        users.add(f[0]);
        pairs.add(f);
      }
    }
    Map<String, Integer> itemCount = new HashMap<>();
    for (String[] f : pairs) itemCount.merge(f[1], 1, Integer::sum);
    Map<String, Integer> userCount = new HashMap<>();
    for (String[] f : pairs) if (itemCount.get(f[1]) >= 5) userCount.merge(f[0], 1, Integer::sum);
    List<String> lines = new ArrayList<>();
    for (String[] f : pairs) {
      if (itemCount.get(f[1]) >= 5 && userCount.get(f[0]) >= 3) lines.add(f[0] + " " + f[1]);
    }
    Path subset = tmp.resolve("games-subset.txt");
    Files.write(subset, lines, StandardCharsets.UTF_8);
    UserSequences data = DatasetReader.read(subset, DatasetFormat.SASREC);
    LeaveOneOutSplit split = LeaveOneOutSplit.of(data.sequences());

    ModelConfig cfg =
        new ModelConfig(
            data.items().size(),
            32,
            1,
            1,
            30,
            0.2,
            0.003,
            128,
            LossKind.BCE,
            1,
            0.75,
            5L,
            0,
            0,
            0,
            Device.CPU);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    try (SasRecModel model = SasRecModel.create(cfg);
        PrintStream log = new PrintStream(progress, true, StandardCharsets.UTF_8)) {
      new Trainer(model, new TrainOptions(20, 1.5, 5, 0, 2000, 0), log)
          .train(split, data.sequences());
      Evaluator test =
          new Evaluator(
              split,
              data.sequences(),
              cfg.numItems(),
              Evaluator.Target.TEST,
              Evaluator.evaluableUsers(split, 0, 1),
              99);
      int[][] seen = new int[split.users()][];
      for (int u = 0; u < seen.length; u++)
        seen[u] = split.evaluable(u) ? split.testInput(u) : split.train()[u];
      Map<String, EvalFigures> r =
          test.evaluateAll(
              List.of(new Scorer.Model("model", model), MostPopular.fit(seen, cfg.numItems())));
      EvalFigures m = r.get("model");
      EvalFigures pop = r.get("most-popular");
      String report =
          "users "
              + data.users()
              + ", items "
              + data.items().size()
              + "\n"
              + progress
              + "\nmodel "
              + m
              + "\nmost-popular "
              + pop;
      System.out.println(report);
      assertTrue(
          m.sampledNdcg10() > pop.sampledNdcg10() + 0.05,
          "sampled NDCG@10 not clearly better:\n" + report);
      assertTrue(
          m.sampledHr10() > pop.sampledHr10() + 0.05,
          "sampled HR@10 not clearly better:\n" + report);
      assertTrue(
          m.fullNdcg10() > pop.fullNdcg10() * 1.3,
          "full-ranking NDCG@10 not clearly better:\n" + report);
    }
  }
}
