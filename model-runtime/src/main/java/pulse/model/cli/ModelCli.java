package pulse.model.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import pulse.model.Device;
import pulse.model.LossKind;
import pulse.model.ModelConfig;
import pulse.model.SasRecModel;
import pulse.model.data.DatasetFormat;
import pulse.model.data.DatasetReader;
import pulse.model.data.GapBuckets;
import pulse.model.data.LeaveOneOutSplit;
import pulse.model.data.UserSequences;
import pulse.model.eval.EvalFigures;
import pulse.model.eval.Evaluator;
import pulse.model.eval.LastItemCooccurrence;
import pulse.model.eval.MostPopular;
import pulse.model.eval.Scorer;
import pulse.model.export.JsonCodec;
import pulse.model.export.ModelDirectory;
import pulse.model.export.ModelLoadException;
import pulse.model.train.LossPlan;
import pulse.model.train.MaxLenRule;
import pulse.model.train.Recipe;
import pulse.model.train.TrainOptions;
import pulse.model.train.TrainResult;
import pulse.model.train.Trainer;
import pulse.model.train.TransitionWeights;

/**
 * {@code train | sweep | eval | bench}: the model's command line (wired as {@code bin/pulse
 * train|eval|bench model}). Exit codes: 0 ok, 2 bad arguments or missing/invalid input, 1 anything
 * else.
 */
public final class ModelCli {
  /** The options of {@code train} (and of each {@code sweep} training) that take no value. */
  static final Set<String> TRAIN_FLAGS = Set.of("time-gaps", "no-test", "refit-trace");

  /** An integer option's value when it was not given and the recipe derives it from the data. */
  private static final int DERIVED = Integer.MIN_VALUE;

  static final String USAGE =
      """
            usage: ModelCli <command> [options]
              train --data FILE --format sasrec|movielens --out DIR [--epochs 200] [--max-minutes 45 (0: none)]
                    [--d 64] [--heads 1] [--blocks 2] [--max-len L (default: p99 of the data's lengths, <= 200)]
                    [--dropout 0.2 (mean training length under 30: 0.5)] [--lr 0.001]
                    [--weight-decay 0 (decoupled, AdamW; mean training length under 30: 0.5)]
                    [--batch 128 (fewer than 3,840 users: users/30, >= 16)]
                    [--loss auto|ce|sampled-ce|sampled-ce-pop|sampled-softmax|gbce|bce (auto: full-softmax
                    ce up to 2K items, else sampled-ce)] [--negatives K (auto, ce, sampled-ce*: 2048 shared
                    per batch; bce: 1; gbce, sampled-softmax: 100)] [--gbce-t 0.75]
                    [--seed 42] [--device cpu|gpu] [--threads 0] [--eval-every 1] [--patience 5]
                    [--val-users 10000] [--no-test (no test figures computed, printed or stored)]
                    [--time-gaps (movielens: add the time-gap-bucket side input)]
                    [--spare-items N (item rows for new items; default max(64, 10% of the items))]
                    [--refit-epochs 0 (after the best epoch: epochs over training + validation items;
                    mean training length under 30: 2)]
                    [--refit-trace (test figures after each refit epoch)]
                    [--transition-weight auto|W] [--transition-decay auto|D] (bonus from the last 3
                    items' transitions, W * D^j for the j-th from the end; auto: the best of W in
                    0,0.5,..,8 and D in 0,0.5,0.75,1 on validation users)]
              sweep --settings "k=v k=v;k=v;..." [--sweep-dir DIR] TRAIN-OPTIONS (one train --no-test per
                    setting, one line each: best validation figures, sampled and full)
              eval  --model DIR --data FILE --format sasrec|movielens [--users N] [--seed S] [--threads 0]
                    [--device cpu|gpu]
              bench --model DIR [--iterations 30] [--batches 1,8,32,128,256] [--lengths 50,200] [--threads 0]
                    [--device cpu|gpu]""";

  private ModelCli() {}

  public static void main(String[] argv) {
    int code = run(argv, System.out, System.err);
    System.exit(code);
  }

  /** Runs one command as main does, without exiting the JVM (the serve bench trains in-process). */
  public static int run(String[] argv, PrintStream out, PrintStream err) {
    try {
      if (argv.length == 0) throw new UsageException("missing command (train|sweep|eval|bench)");
      switch (argv[0]) {
        case "train" -> train(new Args(argv, 1, TRAIN_FLAGS), out);
        case "eval" -> eval(new Args(argv, 1, Set.of()), out);
        case "sweep" -> Sweep.run(argv, out);
        case "bench" -> Bench.run(new Args(argv, 1, Set.of()), out);
        case "-h", "--help", "help" -> out.println(USAGE);
        default ->
            throw new UsageException("unknown command '" + argv[0] + "' (train|sweep|eval|bench)");
      }
      return 0;
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      err.println(USAGE.lines().findFirst().orElse(""));
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } catch (ModelLoadException e) {
      err.println("error: cannot load model: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("error: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }

  // ------------------------------------------------------------------ train

  /** Trains, exports, prints the run and returns its final JSON line's fields. */
  static Map<String, Object> train(Args a, PrintStream out) throws IOException {
    Path data = a.existingFile("data");
    DatasetFormat format = DatasetFormat.parse(a.required("format"));
    Path outDir = Path.of(a.required("out"));
    int epochs = a.integer("epochs", Recipe.EPOCHS);
    double maxMinutes = a.decimal("max-minutes", Recipe.MAX_MINUTES);
    int d = a.integer("d", Recipe.DIM);
    int heads = a.integer("heads", Recipe.HEADS);
    int blocks = a.integer("blocks", Recipe.BLOCKS);
    int maxLenOption = a.integer("max-len", 0);
    double dropoutOption = a.decimal("dropout", Double.NaN);
    double lr = a.decimal("lr", Recipe.LEARNING_RATE);
    double weightDecayOption = a.decimal("weight-decay", Double.NaN);
    int batchOption = a.integer("batch", 0);
    String lossName = a.string("loss", Recipe.LOSS);
    boolean autoLoss = lossName.equalsIgnoreCase("auto");
    LossKind requestedLoss = autoLoss ? LossKind.CE : LossKind.parse(lossName);
    int negatives = a.integer("negatives", Recipe.negatives(requestedLoss));
    double gbceT = a.decimal("gbce-t", ModelConfig.sasrecDefaults(1).gbceT());
    long seed = a.longValue("seed", 42L);
    Device device = Device.parse(a.string("device", "cpu"));
    int threads = a.integer("threads", 0);
    int evalEvery = a.integer("eval-every", Recipe.EVAL_EVERY);
    int patience = a.integer("patience", Recipe.PATIENCE);
    int valUsers = a.integer("val-users", Recipe.VALIDATION_USERS);
    boolean timeGaps = a.flag("time-gaps");
    boolean noTest = a.flag("no-test");
    int spareOption = a.integer("spare-items", -1);
    List<TransitionWeights.Candidate> transitionCandidates =
        TransitionWeights.grid(
            ladder(a.string("transition-weight", "auto"), TransitionWeights.WEIGHTS, "weight"),
            ladder(a.string("transition-decay", "auto"), TransitionWeights.DECAYS, "decay"));
    int refitOption = a.integer("refit-epochs", DERIVED);
    boolean refitTrace = a.flag("refit-trace");
    a.rejectUnknown();
    if (spareOption < -1) throw new UsageException("--spare-items must be >= 0");
    if (refitOption != DERIVED && refitOption < 0)
      throw new UsageException("--refit-epochs must be >= 0");
    if (maxLenOption < 0) throw new UsageException("--max-len must be >= 1");
    if (batchOption < 0) throw new UsageException("--batch must be >= 1");
    if (weightDecayOption < 0) throw new UsageException("--weight-decay must be >= 0");
    if (timeGaps && format != DatasetFormat.MOVIELENS) {
      throw new UsageException("--time-gaps needs timestamps: use it with --format movielens");
    }
    long t0 = System.nanoTime();
    UserSequences seqs = DatasetReader.read(data, format);
    LeaveOneOutSplit split = LeaveOneOutSplit.of(seqs.sequences());
    int items = seqs.items().size();
    int spare = spareOption >= 0 ? spareOption : ModelConfig.defaultSpareItems(items);
    int maxLen = maxLenOption > 0 ? maxLenOption : MaxLenRule.fromSequences(split.train());
    double meanLength = Recipe.meanLength(split.train());
    boolean dropoutGiven = !Double.isNaN(dropoutOption);
    double dropout = dropoutGiven ? dropoutOption : Recipe.dropout(meanLength);
    String dropoutFrom =
        dropoutGiven
            ? "--dropout"
            : String.format(
                Locale.ROOT,
                "mean training length %.1f %s %s",
                meanLength,
                meanLength < Recipe.SPARSE_MEAN_LENGTH ? "<" : ">=",
                Trainer.minutes(Recipe.SPARSE_MEAN_LENGTH));
    int batch = batchOption > 0 ? batchOption : Recipe.batch(seqs.users());
    // Sparse data (dropoutFrom says why) also gets weight decay and the refit.
    double weightDecay =
        Double.isNaN(weightDecayOption) ? Recipe.weightDecay(meanLength) : weightDecayOption;
    int refitEpochs = refitOption != DERIVED ? refitOption : Recipe.refitEpochs(meanLength);
    // A time bound keeps a share of itself for the refit epochs.
    double refitMinutes = maxMinutes > 0 && refitEpochs > 0 ? maxMinutes * Recipe.REFIT_SHARE : 0;
    TrainOptions options =
        new TrainOptions(
            epochs, maxMinutes, evalEvery, patience, valUsers, threads, weightDecay, refitMinutes);

    long worstBatch = LossPlan.worstBatchPositions(split.train(), batch, maxLen);
    LossPlan plan =
        autoLoss
            ? LossPlan.auto(negatives, items, worstBatch)
            : LossPlan.choose(requestedLoss, negatives, items, worstBatch);
    // numItems = rows of the item table; rows items+1..items+spare wait for new items (online
    // learning).
    ModelConfig cfg =
        new ModelConfig(
            items + spare,
            d,
            heads,
            blocks,
            maxLen,
            dropout,
            lr,
            batch,
            plan.loss(),
            plan.negatives(),
            gbceT,
            seed,
            0,
            timeGaps ? GapBuckets.COUNT : 0,
            0,
            device);
    LeaveOneOutSplit gapSplit = timeGaps ? LeaveOneOutSplit.of(seqs.gapBuckets()) : null;
    out.printf(
        Locale.ROOT,
        "data %s: %d users, %d items (+%d spare rows), %d interactions (sha256 %s)%n",
        data,
        seqs.users(),
        items,
        spare,
        seqs.interactions(),
        seqs.fingerprint().substring(0, 12));
    Map<String, Object> recipe = new LinkedHashMap<>();
    recipe.put("loss", plan.loss().cliName());
    recipe.put("lossRequested", autoLoss ? "auto" : requestedLoss.cliName());
    recipe.put("negatives", plan.loss() == LossKind.CE ? 0 : plan.negatives());
    recipe.put("maxLen", maxLen);
    recipe.put(
        "maxLenFrom",
        maxLenOption > 0
            ? "--max-len"
            : String.format(
                Locale.ROOT,
                "p%.0f of training lengths, capped at %d",
                MaxLenRule.QUANTILE * 100,
                MaxLenRule.CAP));
    recipe.put("dropout", dropout);
    recipe.put("dropoutFrom", dropoutFrom);
    recipe.put("weightDecay", weightDecay);
    recipe.put("weightDecayFrom", Double.isNaN(weightDecayOption) ? dropoutFrom : "--weight-decay");
    recipe.put("maxMinutes", maxMinutes);
    recipe.put("refitEpochs", refitEpochs);
    recipe.put("refitEpochsFrom", refitOption != DERIVED ? "--refit-epochs" : dropoutFrom);
    out.printf(
        Locale.ROOT,
        "recipe: loss %s%s, maxLen %d (%s), d %d, %d blocks, dropout %.2f (%s), lr %s, %s, batch %d, "
            + "%s%n",
        plan.loss().cliName(),
        plan.loss() == LossKind.CE ? " (full softmax)" : " with " + plan.negatives() + " negatives",
        maxLen,
        recipe.get("maxLenFrom"),
        d,
        blocks,
        dropout,
        dropoutFrom,
        lr,
        weightDecay > 0 ? "weight decay " + weightDecay + " (AdamW)" : "no weight decay",
        batch,
        (maxMinutes > 0
                ? "bounded by --max-minutes " + Trainer.minutes(maxMinutes)
                : "no time bound")
            + (refitEpochs > 0
                ? ", then " + refitEpochs + " refit epochs with the validation items"
                : ""));
    if (plan.fellBack()) {
      out.printf(
          Locale.ROOT,
          "full softmax over %d items would need %.1f GiB of logits (budget %d GiB): "
              + "sampled-ce with %d shared negatives instead%n",
          items,
          LossPlan.fullSoftmaxBytes(worstBatch, items) / (double) (1L << 30),
          LossPlan.LOGIT_BUDGET_BYTES >> 30,
          plan.negatives());
    }
    out.println("config " + JsonCodec.write(cfg.toMap()));
    try (SasRecModel model = SasRecModel.create(cfg, threads)) {
      model.setAssignedItems(items);
      long trainStart = System.nanoTime();
      Trainer trainer = new Trainer(model, options, out);
      TrainResult result = trainer.train(split, gapSplit, seqs.sequences());
      TransitionWeights.Choice transitions =
          TransitionWeights.choose(
              trainer, model, split, gapSplit, seqs.sequences(), transitionCandidates, out);
      recipe.put("transitionWeight", transitions.chosen().weight());
      recipe.put("transitionDecay", transitions.chosen().decay());
      long deadline = maxMinutes > 0 ? trainStart + (long) (maxMinutes * 60e9) : Long.MAX_VALUE;
      if (refitTrace && !noTest) {
        printTable(out, "test before refit", evaluateTest(model, split, seqs, 0, seed + 7));
      }
      int refitDone =
          trainer.refit(
              TransitionWeights.withoutTest(split),
              gapSplit == null ? null : TransitionWeights.withoutTest(gapSplit),
              refitEpochs,
              deadline,
              epoch -> {
                if (refitTrace && !noTest) {
                  printTable(
                      out,
                      "test after refit epoch " + epoch,
                      evaluateTest(model, split, seqs, 0, seed + 7));
                }
              });
      Map<String, Object> metrics = new LinkedHashMap<>();
      if (noTest) {
        out.println("test: not computed (--no-test)");
      } else {
        Map<String, EvalFigures> test = evaluateTest(model, split, seqs, 0, seed + 7);
        printTable(out, "test (leave-one-out, last item)", test);
        metrics.put("test", figuresMap(test));
      }
      metrics.put("validation", result.bestValidation().toMap());
      metrics.put("validationWithTransitions", transitions.chosenFigures().toMap());
      metrics.put("transitions", transitions.toMap());
      metrics.put("bestEpoch", result.bestEpoch());
      metrics.put("epochsRun", result.epochsRun());
      metrics.put("refitEpochs", refitDone);
      metrics.put("trainSeconds", Math.round(result.seconds()));
      metrics.put("stopReason", result.stopReason());
      metrics.put("spareItems", spare);
      metrics.put("recipe", recipe);
      ModelDirectory.export(model, seqs.items(), dataInfo(seqs, format), metrics, outDir);
      double wall = (System.nanoTime() - t0) / 1e9;
      out.printf(Locale.ROOT, "model written to %s (wall %.0fs)%n", outDir, wall);
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("command", "train");
      line.put("model", outDir.toString());
      line.put("wallSeconds", Math.round(wall));
      line.putAll(metrics);
      out.println(JsonCodec.write(line));
      return line;
    }
  }

  /** {@code auto}: the default ladder; else that one value (>= 0; a decay at most 1). */
  static float[] ladder(String option, float[] auto, String name) {
    if (option.equalsIgnoreCase("auto")) return auto.clone();
    try {
      float v = Float.parseFloat(option);
      if (v >= 0 && !Float.isInfinite(v) && (!name.equals("decay") || v <= 1)) {
        return new float[] {v};
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(
        "--transition-"
            + name
            + " must be auto or a number "
            + (name.equals("decay") ? "in 0..1" : ">= 0")
            + ", was "
            + option);
  }

  static Map<String, Object> dataInfo(UserSequences seqs, DatasetFormat format) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", seqs.source());
    m.put("format", format.name().toLowerCase(Locale.ROOT));
    m.put("sha256", seqs.fingerprint());
    m.put("users", seqs.users());
    m.put("items", seqs.items().size());
    m.put("interactions", seqs.interactions());
    return m;
  }

  // ------------------------------------------------------------------ eval

  static void eval(Args a, PrintStream out) throws IOException, ModelLoadException {
    Path dir = a.existingDir("model");
    Path data = a.existingFile("data");
    DatasetFormat format = DatasetFormat.parse(a.required("format"));
    int users = a.integer("users", 0);
    long seed = a.longValue("seed", 49);
    int threads = a.integer("threads", 0);
    String device = a.string("device", null);
    a.rejectUnknown();
    try (ModelDirectory.Loaded loaded =
        ModelDirectory.load(dir, threads, device == null ? null : Device.parse(device))) {
      UserSequences seqs = DatasetReader.read(data, format, loaded.items());
      LeaveOneOutSplit split = LeaveOneOutSplit.of(seqs.sequences());
      Map<String, EvalFigures> test = evaluateTest(loaded.model(), split, seqs, users, seed);
      printTable(out, "test (leave-one-out, last item) on " + data, test);
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("command", "eval");
      line.put("model", dir.toString());
      line.put("data", data.toString());
      line.put(
          "sameDataAsTraining", seqs.fingerprint().equals(loaded.manifest().data().get("sha256")));
      line.put("results", figuresMap(test));
      out.println(JsonCodec.write(line));
    }
  }

  static Map<String, EvalFigures> evaluateTest(
      SasRecModel model, LeaveOneOutSplit split, UserSequences seqs, int maxUsers, long seed) {
    int n = model.assignedItems(); // rank the items, not the spare rows
    LeaveOneOutSplit gapSplit = null;
    if (model.config().gapBuckets() > 0) {
      if (seqs.gapBuckets() == null) {
        throw new UsageException(
            "the model uses time-gap buckets; the data needs timestamps (--format movielens)");
      }
      gapSplit = LeaveOneOutSplit.of(seqs.gapBuckets());
    }
    Evaluator ev =
        new Evaluator(
            split,
            gapSplit,
            seqs.sequences(),
            n,
            Evaluator.Target.TEST,
            Evaluator.evaluableUsers(split, maxUsers, seed),
            seed);
    // Baselines see the same history the model was trained on: training prefix plus validation
    // item.
    int[][] seen = TransitionWeights.withoutTest(split);
    return ev.evaluateAll(
        List.of(
            new Scorer.Model("model", model),
            MostPopular.fit(seen, n),
            LastItemCooccurrence.fit(seen, n)));
  }

  static Map<String, Object> figuresMap(Map<String, EvalFigures> figures) {
    Map<String, Object> m = new LinkedHashMap<>();
    figures.forEach((k, v) -> m.put(k, v.toMap()));
    return m;
  }

  static void printTable(PrintStream out, String title, Map<String, EvalFigures> figures) {
    out.println(title);
    out.printf(
        Locale.ROOT,
        "%-24s %12s %14s %10s %12s %8s%n",
        "scorer",
        "sampled HR@10",
        "sampled NDCG@10",
        "full HR@10",
        "full NDCG@10",
        "users");
    figures.forEach(
        (name, f) ->
            out.printf(
                Locale.ROOT,
                "%-24s %12.4f %14.4f %10.4f %12.4f %8d%n",
                name,
                f.sampledHr10(),
                f.sampledNdcg10(),
                f.fullHr10(),
                f.fullNdcg10(),
                f.users()));
  }
}
