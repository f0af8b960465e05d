package pulse.engine.inference;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import pulse.engine.catalog.CatalogIndex;
import pulse.engine.inference.RecommendOutcome.Ranked;
import pulse.engine.inference.RecommendOutcome.ScoredItem;
import pulse.engine.inference.RecommendOutcome.Unserved;
import pulse.engine.inference.RecommendOutcome.Why;
import pulse.model.Explanation;
import pulse.model.RecommendRequest;
import pulse.model.Recommendations;
import pulse.model.SequenceInput;

/**
 * Runs one batch at a time through the encoder, on the inference dispatcher's own thread (a model
 * call blocks a core for milliseconds and must not starve the actors). Answers every request of the
 * batch, then tells the pool it is free. A failing model call fails its batch, not the worker: the
 * requests get MODEL_ERROR and the caller falls back.
 */
final class InferenceWorker {
  /** History items cited per recommended item when explain is asked. */
  static final int REASONS_PER_ITEM = 3;

  private InferenceWorker() {}

  /** Part of a batch and the one model version it is computed with. */
  record Slice(ServingModel model, List<InferencePool.Pending> batch) {}

  /** A batch: one slice per model version its requests name, usually one. */
  record Work(List<Slice> slices, long dispatchedAtNanos) {}

  static Behavior<Work> create(ActorRef<InferencePool.Command> pool, CatalogIndex catalog) {
    return Behaviors.setup(
        ctx ->
            Behaviors.receiveMessage(
                work -> {
                  long started = System.nanoTime();
                  int computed = 0;
                  List<ServingModel> used = new ArrayList<>(work.slices().size());
                  for (Slice slice : work.slices()) {
                    used.add(slice.model());
                    try {
                      computed += run(slice, work.dispatchedAtNanos(), catalog, started);
                    } catch (RuntimeException e) {
                      ctx.getLog()
                          .warn(
                              "model {} failed a batch of {}: {}",
                              slice.model().version(),
                              slice.batch().size(),
                              e.toString());
                      for (InferencePool.Pending p : slice.batch()) {
                        p.replyTo()
                            .tell(
                                new Unserved(
                                    Why.MODEL_ERROR,
                                    e.getClass().getSimpleName() + ": " + e.getMessage()));
                      }
                    }
                  }
                  pool.tell(
                      new InferencePool.BatchDone(
                          ctx.getSelf(),
                          used,
                          computed,
                          work.dispatchedAtNanos(),
                          System.nanoTime() - started));
                  return Behaviors.same();
                }));
  }

  /**
   * Returns how many requests went through the encoder (those with no known history item do not).
   */
  private static int run(Slice work, long dispatchedAtNanos, CatalogIndex catalog, long started) {
    ServingModel model = work.model();
    List<InferencePool.Pending> asked = new ArrayList<>(work.batch().size());
    List<RecommendRequest> requests = new ArrayList<>(work.batch().size());
    int[] unavailable = model.unavailable(catalog);
    int maxK = 1;
    for (InferencePool.Pending p : work.batch()) {
      SequenceInput input = model.input(p.history());
      if (input.items().length == 0) {
        p.replyTo()
            .tell(
                new Unserved(
                    Why.NO_HISTORY,
                    "none of the user's items is known to model " + model.version()));
        continue;
      }
      RecommendQuery q = p.query();
      int[] exclude = q.excludeSeen() ? concat(input.items(), unavailable) : unavailable;
      int[] allowed = q.category() == null ? null : model.inCategory(catalog, q.category());
      requests.add(new RecommendRequest(input, exclude, allowed));
      asked.add(p);
      maxK = Math.max(maxK, q.k());
    }
    if (requests.isEmpty()) {
      return 0;
    }
    List<Recommendations> results = model.model().recommend(requests, maxK);
    List<List<Explanation>> explanations = explain(model, asked, requests, results);
    double modelMillis = (System.nanoTime() - started) / 1e6;
    int explained = 0;
    for (int i = 0; i < asked.size(); i++) {
      InferencePool.Pending p = asked.get(i);
      Recommendations r = results.get(i);
      int n = Math.min(r.size(), p.query().k());
      List<Explanation> why = p.query().explain() ? explanations.get(explained++) : null;
      List<ScoredItem> items = new ArrayList<>(n);
      for (int j = 0; j < n; j++) {
        items.add(
            new ScoredItem(
                model.itemId(r.items()[j]),
                r.scores()[j],
                why == null ? null : reasons(model, why.get(j))));
      }
      double queueMillis = (dispatchedAtNanos - p.enqueuedAtNanos()) / 1e6;
      p.replyTo()
          .tell(new Ranked(items, model.version(), queueMillis, modelMillis, work.batch().size()));
    }
    return asked.size();
  }

  /** One extra encoder pass for the requests that asked why, over their own top items only. */
  private static List<List<Explanation>> explain(
      ServingModel model,
      List<InferencePool.Pending> asked,
      List<RecommendRequest> requests,
      List<Recommendations> results) {
    List<SequenceInput> sequences = new ArrayList<>();
    List<int[]> candidates = new ArrayList<>();
    for (int i = 0; i < asked.size(); i++) {
      if (asked.get(i).query().explain()) {
        sequences.add(requests.get(i).sequence());
        Recommendations r = results.get(i);
        candidates.add(Arrays.copyOf(r.items(), Math.min(r.size(), asked.get(i).query().k())));
      }
    }
    if (sequences.isEmpty()) {
      return List.of();
    }
    return model.model().explain(sequences, candidates.toArray(int[][]::new), REASONS_PER_ITEM);
  }

  private static List<RecommendOutcome.Reason> reasons(ServingModel model, Explanation e) {
    List<RecommendOutcome.Reason> out = new ArrayList<>(e.size());
    for (int i = 0; i < e.size(); i++) {
      out.add(
          new RecommendOutcome.Reason(
              model.itemId(e.historyItems()[i]), Math.round(e.weights()[i] * 1000) / 1000.0));
    }
    return out;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
