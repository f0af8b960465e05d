package pulse.model.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import pulse.model.DenseTensor;
import pulse.model.SasRecModel;
import pulse.model.SharedNegatives;
import pulse.model.TrainingBatch;
import pulse.model.data.LeaveOneOutSplit;
import pulse.model.eval.EvalFigures;
import pulse.model.eval.Evaluator;
import pulse.model.eval.Scorer;

/**
 * Offline training loop: shuffled epochs of next-item batches, periodic validation on a fixed user
 * sample, early stopping, and the best epoch's weights (by full-ranking validation NDCG@10, the
 * honest measure: sampled metrics can rise while full ranking falls) kept in memory and restored at
 * the end, also when {@code maxMinutes} cuts the run short. Batch building (sampling negatives)
 * runs on a second thread so TensorFlow never waits for Java.
 *
 * <p>A model with spare item rows ({@code model.assignedItems() < numItems}, see {@code
 * --spare-items}) is trained on its assigned items only: negatives are drawn from 1..assignedItems,
 * so spare rows keep their initial values.
 */
public final class Trainer {
  /** Batches per length-sorted window ({@link LengthBatches}). */
  static final int LENGTH_WINDOW = 50;

  private final SasRecModel model;
  private final TrainOptions options;
  private final PrintStream log;

  public Trainer(SasRecModel model, TrainOptions options, PrintStream log) {
    this.model = model;
    this.options = options;
    this.log = log;
  }

  /** The validation users every epoch is ranked on (and the transition weight is chosen on). */
  Evaluator validationEvaluator(
      LeaveOneOutSplit split, LeaveOneOutSplit gapSplit, int[][] fullSequences, int items) {
    return new Evaluator(
        split,
        gapSplit,
        fullSequences,
        items,
        Evaluator.Target.VALIDATION,
        Evaluator.evaluableUsers(split, options.validationUsers(), model.config().seed()),
        model.config().seed() + 1);
  }

  public TrainResult train(LeaveOneOutSplit split, int[][] fullSequences) {
    return train(split, null, fullSequences);
  }

  /**
   * @param gapSplit the same split over the users' gap buckets; required iff the model has a gap
   *     input
   */
  public TrainResult train(
      LeaveOneOutSplit split, LeaveOneOutSplit gapSplit, int[][] fullSequences) {
    var cfg = model.config();
    if ((cfg.gapBuckets() > 0) != (gapSplit != null)) {
      throw new IllegalArgumentException(
          cfg.gapBuckets() > 0
              ? "the model has a gap input but the data has no " + "timestamps"
              : "gap buckets given but the model has no gap input");
    }
    long start = System.nanoTime();
    long deadline =
        options.maxMinutes() > 0
            ? start + (long) ((options.maxMinutes() - options.refitMinutes()) * 60e9)
            : Long.MAX_VALUE;

    int[][] train = split.train();
    int[][] histories = new int[train.length][];
    List<Integer> trainable = new ArrayList<>();
    for (int u = 0; u < train.length; u++) {
      histories[u] = NegativeSampler.sortedDistinct(train[u]);
      if (train[u].length >= 2) trainable.add(u);
    }
    int[] users = trainable.stream().mapToInt(Integer::intValue).toArray();
    int[] trainLengths = new int[train.length];
    for (int u = 0; u < train.length; u++) trainLengths[u] = train[u].length;
    if (users.length == 0)
      throw new IllegalArgumentException("no user has 2+ training interactions");
    // Negatives and full-ranking validation cover the assigned items only, never the spare rows.
    int items = model.assignedItems();
    BatchBuilder builder =
        batchBuilder(train, histories, gapSplit == null ? null : gapSplit.train());
    SharedNegativeSampler shared = sharedSampler(train);
    Evaluator validation = validationEvaluator(split, gapSplit, fullSequences, items);
    SplittableRandom shuffle = new SplittableRandom(cfg.seed());

    EvalFigures best = null;
    int bestEpoch = 0;
    Map<String, DenseTensor> bestWeights = null;
    int sinceBest = 0;
    String stop = "epochs";
    int epoch = 0;
    double trainSeconds = 0;
    int batch = cfg.batchSize();
    ExecutorService prefetch = prefetchThread();
    try {
      while (epoch < options.epochs()) {
        epoch++;
        long e0 = System.nanoTime();
        shuffleInPlace(users, shuffle);
        users = LengthBatches.order(users, trainLengths, batch, LENGTH_WINDOW, shuffle);
        EpochRun run = runEpoch(users, builder, shared, prefetch, deadline, epoch);
        double lossSum = run.lossSum();
        int steps = run.steps();
        int seqs = run.sequences();
        double flops = run.flops();
        if (run.cutShort()) {
          stop = "max-minutes";
          trainSeconds += (System.nanoTime() - e0) / 1e9;
          EvalFigures v = validation.evaluate(new Scorer.Model("model", model));
          if (best == null || v.fullNdcg10() > best.fullNdcg10()) {
            best = v;
            bestEpoch = epoch;
            bestWeights = model.snapshot();
          }
          double partSeconds = (System.nanoTime() - e0) / 1e9;
          progress(epoch, lossSum / steps, v, seqs, flops, partSeconds, start, "partial");
          break;
        }
        double epochSeconds = (System.nanoTime() - e0) / 1e9;
        trainSeconds += epochSeconds;
        boolean validate = epoch % options.evalEvery() == 0 || epoch == options.epochs();
        EvalFigures v = null;
        if (validate) {
          v = validation.evaluate(new Scorer.Model("model", model));
          if (best == null || v.fullNdcg10() > best.fullNdcg10()) {
            best = v;
            bestEpoch = epoch;
            bestWeights = model.snapshot();
            sinceBest = 0;
          } else {
            sinceBest++;
          }
        }
        double perEpoch = trainSeconds / epoch;
        double remaining = perEpoch * (options.epochs() - epoch);
        if (deadline != Long.MAX_VALUE)
          remaining = Math.min(remaining, (deadline - System.nanoTime()) / 1e9);
        log.println(
            String.format(
                Locale.ROOT,
                "epoch %3d  loss %.4f  %s  %6.0f seq/s  %5.1f GFLOP/s  %5.1fs/epoch  elapsed %s  ETA %s%s",
                epoch,
                lossSum / steps,
                v == null
                    ? "val -"
                    : String.format(
                        Locale.ROOT,
                        "val HR@10 %.4f NDCG@10 %.4f (full %.4f/%.4f)",
                        v.sampledHr10(),
                        v.sampledNdcg10(),
                        v.fullHr10(),
                        v.fullNdcg10()),
                seqs / epochSeconds,
                flops / epochSeconds / 1e9,
                epochSeconds,
                clock((System.nanoTime() - start) / 1e9),
                clock(Math.max(0, remaining)),
                bound()));
        log.flush();
        if (options.patience() > 0 && sinceBest >= options.patience()) {
          stop =
              "early-stopping (no better validation NDCG@10 in "
                  + options.patience()
                  + " validations)";
          break;
        }
      }
    } finally {
      prefetch.shutdownNow();
    }
    if (best == null) {
      best = validation.evaluate(new Scorer.Model("model", model));
      bestEpoch = epoch;
    } else if (bestWeights != null && bestEpoch != epoch) {
      model.load(bestWeights);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    log.println(
        String.format(
            Locale.ROOT,
            "best epoch %d (by full-ranking validation NDCG@10): val HR@10 %.4f NDCG@10 %.4f (full %.4f/%.4f); stopped by %s after %s",
            bestEpoch,
            best.sampledHr10(),
            best.sampledNdcg10(),
            best.fullHr10(),
            best.fullNdcg10(),
            stop,
            clock(seconds)));
    return new TrainResult(epoch, bestEpoch, best, seconds, stop);
  }

  /** How the run is bounded, for the progress line. */
  private String bound() {
    if (options.maxMinutes() <= 0) return "";
    return String.format(Locale.ROOT, "  (bound: --max-minutes %s", minutes(options.maxMinutes()))
        + (options.refitMinutes() > 0
            ? String.format(
                Locale.ROOT, ", %.1f of them kept for the refit)", options.refitMinutes())
            : ")");
  }

  private void progress(
      int epoch,
      double loss,
      EvalFigures v,
      int seqs,
      double flops,
      double secs,
      long start,
      String tag) {
    log.println(
        String.format(
            Locale.ROOT,
            "epoch %3d  loss %.4f  val HR@10 %.4f NDCG@10 %.4f (full %.4f/%.4f)  %6.0f seq/s  %5.1f GFLOP/s  (%s epoch) elapsed %s%s",
            epoch,
            loss,
            v.sampledHr10(),
            v.sampledNdcg10(),
            v.fullHr10(),
            v.fullNdcg10(),
            seqs / secs,
            flops / secs / 1e9,
            tag,
            clock((System.nanoTime() - start) / 1e9),
            bound()));
    log.flush();
  }

  /** Batches of next-item targets over {@code sequences}; negatives from the assigned items. */
  private BatchBuilder batchBuilder(int[][] sequences, int[][] distinctSorted, int[][] gaps) {
    var cfg = model.config();
    return new BatchBuilder(
        sequences,
        distinctSorted,
        cfg.maxLen(),
        cfg.loss().isCrossEntropy() ? 0 : cfg.negatives(),
        new NegativeSampler(model.assignedItems(), cfg.seed() ^ 0x5DEECE66DL),
        gaps);
  }

  /** The shared negatives of a sampled cross-entropy loss (null for the other losses). */
  private SharedNegativeSampler sharedSampler(int[][] sequences) {
    var cfg = model.config();
    int items = model.assignedItems();
    return switch (cfg.loss()) {
      case SAMPLED_CE -> SharedNegativeSampler.uniform(items, cfg.seed() ^ 0x9E3779B9L);
      case SAMPLED_CE_POP ->
          SharedNegativeSampler.popularity(items, sequences, cfg.seed() ^ 0x9E3779B9L);
      default -> null;
    };
  }

  /**
   * After {@link #train}: trains the weights it chose for {@code epochs} more passes over {@code
   * sequences}, each user's sequence without the test item (training prefix plus validation item).
   * Validation chose the weights and the number of epochs; this lets the model also learn the most
   * recent step of every user, which is the one a served list follows. There is nothing left to
   * validate on, so the count is fixed ({@code --refit-epochs}). Stops at {@code deadline}
   * (System.nanoTime) even inside an epoch. Calls {@code afterEpoch} with each finished epoch's
   * number (1..epochs).
   *
   * @return epochs finished
   */
  public int refit(
      int[][] sequences, int[][] gaps, int epochs, long deadline, IntConsumer afterEpoch) {
    var cfg = model.config();
    List<Integer> trainable = new ArrayList<>();
    int[][] distinct = new int[sequences.length][];
    int[] lengths = new int[sequences.length];
    for (int u = 0; u < sequences.length; u++) {
      distinct[u] = NegativeSampler.sortedDistinct(sequences[u]);
      lengths[u] = sequences[u].length;
      if (sequences[u].length >= 2) trainable.add(u);
    }
    int[] users = trainable.stream().mapToInt(Integer::intValue).toArray();
    BatchBuilder builder = batchBuilder(sequences, distinct, gaps);
    SharedNegativeSampler shared = sharedSampler(sequences);
    SplittableRandom shuffle = new SplittableRandom(cfg.seed() ^ 0x7E57L);
    ExecutorService prefetch = prefetchThread();
    int done = 0;
    try {
      for (int epoch = 1; epoch <= epochs; epoch++) {
        long e0 = System.nanoTime();
        shuffleInPlace(users, shuffle);
        users = LengthBatches.order(users, lengths, cfg.batchSize(), LENGTH_WINDOW, shuffle);
        EpochRun run = runEpoch(users, builder, shared, prefetch, deadline, epoch);
        double secs = (System.nanoTime() - e0) / 1e9;
        log.println(
            String.format(
                Locale.ROOT,
                "refit epoch %d/%d  loss %.4f  %6.0f seq/s  %5.1fs%s",
                epoch,
                epochs,
                run.lossSum() / Math.max(1, run.steps()),
                run.sequences() / secs,
                secs,
                run.cutShort() ? "  (cut short by --max-minutes)" : ""));
        log.flush();
        if (run.cutShort()) break;
        done = epoch;
        afterEpoch.accept(epoch);
      }
    } finally {
      prefetch.shutdownNow();
    }
    return done;
  }

  private static ExecutorService prefetchThread() {
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, "batch-prefetch");
          t.setDaemon(true);
          return t;
        });
  }

  /** What one pass over the users did; cutShort: the deadline passed before its last batch. */
  private record EpochRun(
      double lossSum, int steps, int sequences, double flops, boolean cutShort) {}

  /** One pass over {@code order} in batches, built one batch ahead on {@code prefetch}. */
  private EpochRun runEpoch(
      int[] order,
      BatchBuilder builder,
      SharedNegativeSampler shared,
      ExecutorService prefetch,
      long deadline,
      int epoch) {
    var cfg = model.config();
    int batch = cfg.batchSize();
    int items = model.assignedItems();
    double lossSum = 0;
    int steps = 0;
    int seqs = 0;
    double flops = 0;
    Future<Step> next =
        prefetch.submit(() -> step(builder, shared, order, 0, Math.min(batch, order.length)));
    for (int from = 0; from < order.length; from += batch) {
      Step s = await(next);
      TrainingBatch b = s.batch();
      int nextFrom = from + batch;
      if (nextFrom < order.length) {
        next =
            prefetch.submit(
                () ->
                    step(
                        builder,
                        shared,
                        order,
                        nextFrom,
                        Math.min(nextFrom + batch, order.length)));
      }
      float l = model.trainStep(b, s.shared(), options.weightDecay());
      flops += TrainingFlops.step(cfg, b.size(), b.maxLen(), s.targets(), items);
      if (!Float.isFinite(l))
        throw new IllegalStateException("loss became " + l + " at epoch " + epoch);
      lossSum += l;
      steps++;
      seqs += b.size();
      if (System.nanoTime() > deadline) return new EpochRun(lossSum, steps, seqs, flops, true);
    }
    return new EpochRun(lossSum, steps, seqs, flops, false);
  }

  /**
   * A batch, its shared negatives (null unless the loss shares them) and its targeted positions.
   */
  private record Step(TrainingBatch batch, SharedNegatives shared, int targets) {}

  private Step step(
      BatchBuilder builder, SharedNegativeSampler shared, int[] order, int from, int to) {
    TrainingBatch b = builder.build(order, from, to);
    int targets = 0;
    for (int p : b.positives()) if (p != 0) targets++;
    SharedNegatives negatives =
        shared == null ? null : shared.draw(model.config().negatives(), b.positives());
    return new Step(b, negatives, targets);
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("batch building failed", e.getCause());
    }
  }

  static void shuffleInPlace(int[] a, SplittableRandom r) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** 60 as "60", 2.5 as "2.5". */
  public static String minutes(double m) {
    return m == Math.rint(m) ? String.valueOf((long) m) : String.valueOf(m);
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
