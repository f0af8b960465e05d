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
        options.maxMinutes() > 0 ? start + (long) (options.maxMinutes() * 60e9) : Long.MAX_VALUE;

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
        new BatchBuilder(
            train,
            histories,
            cfg.maxLen(),
            cfg.loss().isCrossEntropy() ? 0 : cfg.negatives(),
            new NegativeSampler(items, cfg.seed() ^ 0x5DEECE66DL),
            gapSplit == null ? null : gapSplit.train());
    SharedNegativeSampler shared =
        switch (cfg.loss()) {
          case SAMPLED_CE -> SharedNegativeSampler.uniform(items, cfg.seed() ^ 0x9E3779B9L);
          case SAMPLED_CE_POP ->
              SharedNegativeSampler.popularity(items, train, cfg.seed() ^ 0x9E3779B9L);
          default -> null;
        };
    Evaluator validation =
        new Evaluator(
            split,
            gapSplit,
            fullSequences,
            items,
            Evaluator.Target.VALIDATION,
            Evaluator.evaluableUsers(split, options.validationUsers(), cfg.seed()),
            cfg.seed() + 1);
    SplittableRandom shuffle = new SplittableRandom(cfg.seed());

    EvalFigures best = null;
    int bestEpoch = 0;
    Map<String, DenseTensor> bestWeights = null;
    int sinceBest = 0;
    String stop = "epochs";
    int epoch = 0;
    double trainSeconds = 0;
    int batch = cfg.batchSize();
    ExecutorService prefetch =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "batch-prefetch");
              t.setDaemon(true);
              return t;
            });
    try {
      outer:
      while (epoch < options.epochs()) {
        epoch++;
        long e0 = System.nanoTime();
        shuffleInPlace(users, shuffle);
        users = LengthBatches.order(users, trainLengths, batch, LENGTH_WINDOW, shuffle);
        double lossSum = 0;
        int steps = 0;
        int seqs = 0;
        double flops = 0;
        final int[] order = users;
        Future<Step> next =
            prefetch.submit(() -> step(builder, shared, order, 0, Math.min(batch, order.length)));
        for (int from = 0; from < users.length; from += batch) {
          Step s = await(next);
          TrainingBatch b = s.batch();
          int nextFrom = from + batch;
          if (nextFrom < users.length) {
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
          if (System.nanoTime() > deadline) {
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
            break outer;
          }
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
    return options.maxMinutes() > 0
        ? String.format(Locale.ROOT, "  (bound: --max-minutes %s)", minutes(options.maxMinutes()))
        : "";
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
