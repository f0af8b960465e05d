package pulse.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A live SASRec-style encoder: one TensorFlow graph and session holding the weights, used for
 * training, evaluation and serving.
 *
 * <p><b>Thread-safety.</b> {@link #recommend}, {@link #encode}, {@link #explain} and {@link
 * #scoreAll} may be called from any number of threads at once: they only feed placeholders and run
 * read-only fetches, and TensorFlow's {@code Session.run} is thread-safe (we rely on exactly that;
 * no Java-side state is touched). The mutating calls ({@link #trainStep}, {@link #updateStep},
 * {@link #writeVariable}, {@link #writeItemRows}, {@link #initItemRows}, {@link #setAssignedItems},
 * {@link #load}) are serialised on this object's monitor (so {@code synchronized (model) { ... }}
 * gives a caller a consistent read of several variables, as {@code ModelDelta.capture} does).
 * Variables are updated in place, so an inference call running concurrently with one of them may
 * see a mix of old and new values (across variables and even within one table); callers that need a
 * consistent view (the engine swapping in a new model version) should load a second instance and
 * switch. {@link #close()} must not race with other calls.
 *
 * <p><b>Spare rows.</b> The item table has {@code config().numItems()} rows (plus padding row 0),
 * the capacity; only rows {@code 1..}{@link #assignedItems()} hold items. The others are never
 * recommended nor scored (their columns in {@link #scoreAll} carry the same -1e9 penalty as
 * excluded items), and history entries in assignedItems+1..numItems are left out of the sequence
 * (as if the user had not seen them). A new item gets the next row: add it to the vocabulary,
 * {@link #initItemRows} its row (e.g. with {@link #meanItemRow}), then {@link #setAssignedItems}
 * (in that order, so no inference call sees an uninitialised row as an item). Each inference call
 * reads assignedItems once. Training batches are fed as given: negatives must come from
 * 1..assignedItems (the Trainer's do).
 */
public final class SasRecModel implements Recommender {

  private final Graph graph;
  private final Session session;
  private final EncoderGraph g;
  private final ModelConfig config;

  /**
   * Rows 1..assignedItems of the item table hold items; the rest are spare. Written under the
   * monitor.
   */
  private volatile int assignedItems;

  /** Added to the encoder's scores from the user's last item; null = the encoder alone. */
  private volatile TransitionBlend transitionBlend;

  private SasRecModel(ModelConfig config, int threads) {
    this.config = config;
    this.assignedItems = config.numItems();
    this.graph = new Graph();
    try {
      this.g = new EncoderGraph(graph, config);
      ConfigProto.Builder proto = ConfigProto.newBuilder().setAllowSoftPlacement(true);
      if (threads > 0)
        proto.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
      this.session = new Session(graph, proto.build());
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** A fresh model with seeded random initial weights. */
  public static SasRecModel create(ModelConfig config) {
    return create(config, 0);
  }

  /**
   * @param threads TF intra/inter-op threads; 0 = TensorFlow's default (all cores)
   */
  public static SasRecModel create(ModelConfig config, int threads) {
    SasRecModel m = new SasRecModel(config, threads);
    try {
      m.session.initialize();
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  /** A model whose weights will be restored from a checkpoint prefix (SavedModel variables). */
  public static SasRecModel restore(ModelConfig config, String checkpointPrefix, int threads) {
    SasRecModel m = new SasRecModel(config, threads);
    try {
      m.session.restore(checkpointPrefix);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  public Session session() {
    return session;
  }

  public EncoderGraph encoderGraph() {
    return g;
  }

  /**
   * How many item rows (1..assignedItems) hold items; the rest of the table ({@code numItems}) is
   * spare.
   */
  public int assignedItems() {
    return assignedItems;
  }

  /**
   * Declares rows 1..n as items (n = the vocabulary's size). Raise it only after the new rows are
   * initialised.
   *
   * @throws IllegalArgumentException if n is outside 0..numItems (the table's capacity)
   */
  public synchronized void setAssignedItems(int n) {
    if (n < 0 || n > config.numItems()) {
      throw new IllegalArgumentException(
          "assigned items "
              + n
              + " outside 0.."
              + config.numItems()
              + " (the item table's capacity, config.numItems)");
    }
    assignedItems = n;
  }

  /** The bonus from the user's last item that {@link #recommend} and {@link #scoreAll} add. */
  public TransitionBlend transitionBlend() {
    return transitionBlend;
  }

  /**
   * Sets (or, with null, removes) the transition bonus; inference calls read it once each.
   *
   * @throws IllegalArgumentException if the table covers more items than the model's rows
   */
  public void setTransitionBlend(TransitionBlend blend) {
    if (blend != null && blend.transitions().numItems() > config.numItems()) {
      throw new IllegalArgumentException(
          "transition table covers "
              + blend.transitions().numItems()
              + " items, the model has "
              + config.numItems()
              + " item rows");
    }
    transitionBlend = blend;
  }

  // ------------------------------------------------------------------ inference

  @Override
  public List<Recommendations> recommend(List<RecommendRequest> requests, int k) {
    int b = requests.size();
    if (b == 0) return List.of();
    int kk = Math.max(1, Math.min(k, config.numItems()));
    List<SequenceInput> seqs = new ArrayList<>(b);
    for (RecommendRequest r : requests) seqs.add(r.sequence());
    TopKInputs in = TopKInputs.of(requests, config.numItems());
    int[] excl = in.excludePairs();
    int[] allow = in.allowPairs();
    try (Feeds feeds = new Feeds()) {
      var runner = session.runner();
      feedSequences(runner, feeds, seqs, true);
      runner
          .feed(g.excludeIndex, feeds.ints(Shape.of(excl.length / 2, 2), excl))
          .feed(g.allowIndex, feeds.ints(Shape.of(allow.length / 2, 2), allow))
          .feed(g.hasAllowed, feeds.floats(Shape.of(b), in.hasAllowed()))
          .feed(g.k, feeds.track(TInt32.scalarOf(kk)));
      feedBonuses(runner, feeds, seqs);
      runner.fetch(g.topScores).fetch(g.topItems);
      try (Result result = runner.run()) {
        float[] scores = floats(result.get(0));
        int[] ids = ints(result.get(1));
        List<Recommendations> out = new ArrayList<>(b);
        for (int row = 0; row < b; row++) {
          int n = 0;
          // Blocked items carry a -1e9 penalty; anything that low is an exhausted candidate list.
          while (n < kk && scores[row * kk + n] > -5e8f) n++;
          int[] items = Arrays.copyOfRange(ids, row * kk, row * kk + n);
          float[] sc = Arrays.copyOfRange(scores, row * kk, row * kk + n);
          out.add(new Recommendations(items, sc));
        }
        return out;
      }
    }
  }

  @Override
  public float[][] encode(List<SequenceInput> sequences) {
    if (sequences.isEmpty()) return new float[0][];
    try (Feeds feeds = new Feeds()) {
      var runner = session.runner();
      feedSequences(runner, feeds, sequences, true);
      try (Result result = runner.fetch(g.userVectors).run()) {
        float[] flat = floats(result.get(0));
        int d = config.dim();
        float[][] out = new float[sequences.size()][d];
        for (int i = 0; i < out.length; i++) System.arraycopy(flat, i * d, out[i], 0, d);
        return out;
      }
    }
  }

  /**
   * Scores of every row of the item table (column 0 = padding, ignore it), row-major [B,
   * numItems+1]; columns above {@link #assignedItems()} (spare rows) hold their raw score minus
   * 1e9.
   */
  public float[] scoreAll(List<SequenceInput> sequences) {
    try (Feeds feeds = new Feeds()) {
      var runner = session.runner();
      feedSequences(runner, feeds, sequences, true);
      try (Result result = runner.fetch(g.allScores).run()) {
        float[] scores = floats(result.get(0));
        TransitionBlend blend = transitionBlend;
        if (blend != null) blend.addTo(scores, sequences);
        return scores;
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Method: the attention rollout of the last position (Abnar and Zuidema 2020) gives a weight
   * a_p per history position: per block the inference attention probabilities averaged over heads,
   * mixed with the residual as {@code 0.5 A + 0.5 I} (rows renormalised), multiplied across blocks,
   * last row taken (padding positions 0). For candidate j, position p contributes {@code a_p * (1 +
   * cos(e_p, e_j)) / 2} over the tied item embedding, normalised over positions (a soft relevance
   * gate: an attended item is never vetoed outright, see {@link Explainer}); should that be 0
   * everywhere, the rollout weights a_p are used as they are. Weights of a repeated history item
   * are summed, then the best {@code topN} items are kept (ties: more recent first). Histories are
   * cut to maxLen like {@link #recommend}.
   *
   * <p>Cost: one forward pass without the catalogue scoring, plus O(blocks B L^2) for the rollout
   * and O(B C L d) for the cosines, all in the graph (built once) in a single {@code Session.run}.
   * Safe from many threads at once, like {@link #recommend}.
   *
   * @throws IllegalArgumentException if candidateItems has a different number of rows than
   *     sequences, a row is null, a candidate is outside 1..assignedItems, or topN < 1
   */
  @Override
  public List<List<Explanation>> explain(
      List<SequenceInput> sequences, int[][] candidateItems, int topN) {
    if (sequences == null || candidateItems == null) {
      throw new IllegalArgumentException("sequences and candidateItems must not be null");
    }
    int b = sequences.size();
    if (candidateItems.length != b) {
      throw new IllegalArgumentException(
          "candidateItems has "
              + candidateItems.length
              + " rows but there are "
              + b
              + " sequences (one row of candidates per sequence)");
    }
    if (topN < 1) throw new IllegalArgumentException("topN must be >= 1, got " + topN);
    int c = 0;
    int assigned = assignedItems;
    for (int row = 0; row < b; row++) {
      int[] cands = candidateItems[row];
      if (cands == null) throw new IllegalArgumentException("candidateItems[" + row + "] is null");
      for (int item : cands) {
        if (item < 1 || item > assigned) {
          throw new IllegalArgumentException(
              "candidate item "
                  + item
                  + " in row "
                  + row
                  + " is outside 1.."
                  + assigned
                  + " (the assigned items)");
        }
      }
      c = Math.max(c, cands.length);
    }
    List<List<Explanation>> out = new ArrayList<>(b);
    if (c == 0) {
      for (int row = 0; row < b; row++) out.add(List.of());
      return out;
    }
    // Rows with fewer candidates are padded with item 0; those columns are computed and ignored.
    int[] cand = new int[b * c];
    for (int row = 0; row < b; row++) {
      System.arraycopy(candidateItems[row], 0, cand, row * c, candidateItems[row].length);
    }
    int len = config.maxLen();
    try (Feeds feeds = new Feeds()) {
      var runner = session.runner();
      int[] padded = feedSequences(runner, feeds, sequences, false);
      runner.feed(g.explainItems, feeds.ints(Shape.of(b, c), cand)).fetch(g.explainWeights);
      try (Result result = runner.run()) {
        float[] weights = floats(result.get(0)); // [B, C, L]
        for (int row = 0; row < b; row++) {
          int[] cands = candidateItems[row];
          List<Explanation> perRow = new ArrayList<>(cands.length);
          for (int j = 0; j < cands.length; j++) {
            perRow.add(
                Explainer.rank(
                    cands[j], padded, row * len, weights, (row * c + j) * len, len, topN));
          }
          out.add(perRow);
        }
        return out;
      }
    }
  }

  /**
   * The last position's attention rollout per sequence, [B][maxLen] in the left-padded layout (the
   * history's last item at index maxLen-1): the a_p that {@link #explain} starts from.
   */
  public float[][] attentionRollout(List<SequenceInput> sequences) {
    if (sequences.isEmpty()) return new float[0][];
    try (Feeds feeds = new Feeds()) {
      var runner = session.runner();
      feedSequences(runner, feeds, sequences, false);
      try (Result result = runner.fetch(g.attentionRollout).run()) {
        float[] flat = floats(result.get(0));
        int len = config.maxLen();
        float[][] out = new float[sequences.size()][len];
        for (int i = 0; i < out.length; i++) System.arraycopy(flat, i * len, out[i], 0, len);
        return out;
      }
    }
  }

  /**
   * The encoder's per-position output [B, L, d] (row-major); used by tests of the attention mask.
   */
  public float[] sequenceOutput(List<SequenceInput> sequences) {
    try (Feeds feeds = new Feeds()) {
      var runner = session.runner();
      feedSequences(runner, feeds, sequences, false);
      try (Result result = runner.fetch(g.sequenceOutput).run()) {
        return floats(result.get(0));
      }
    }
  }

  // ------------------------------------------------------------------ training and incremental
  // updates

  /**
   * One Adam step on every variable with the configured dropout; returns the batch loss before the
   * step.
   */
  public synchronized float trainStep(TrainingBatch batch) {
    return trainStep(batch, null);
  }

  /**
   * As {@link #trainStep(TrainingBatch)}, with the batch's shared negatives (null: the per-position
   * negatives of the batch, flattened, stand in for them).
   */
  public synchronized float trainStep(TrainingBatch batch, SharedNegatives shared) {
    return trainStep(batch, shared, 0);
  }

  /**
   * As {@link #trainStep(TrainingBatch, SharedNegatives)}, with decoupled weight decay (AdamW: each
   * weight matrix also moves by {@code -lr * weightDecay * value}; biases, LayerNorm gains, the
   * padding row and spare item rows do not decay). 0 is plain Adam.
   */
  public synchronized float trainStep(
      TrainingBatch batch, SharedNegatives shared, double weightDecay) {
    if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0");
    return runUpdate(
        batch,
        shared,
        UpdateScope.all(),
        Optimizer.ADAM,
        (float) config.learningRate(),
        (float) config.dropout(),
        (float) weightDecay);
  }

  /**
   * One optimiser step on a given mini-batch, moving only what {@code scope} allows (for online
   * learning). Dropout is off, so the step is deterministic given the batch.
   *
   * @return the batch loss before the step
   */
  public synchronized float updateStep(
      TrainingBatch batch, UpdateScope scope, Optimizer optimizer, float learningRate) {
    return runUpdate(batch, null, scope, optimizer, learningRate, 0f, 0f);
  }

  /** The loss on a batch without changing anything (dropout off). */
  public float loss(TrainingBatch batch) {
    return loss(batch, null);
  }

  /** As {@link #loss(TrainingBatch)}, with the batch's shared negatives (null: none given). */
  public float loss(TrainingBatch batch, SharedNegatives shared) {
    try (Feeds feeds = new Feeds()) {
      var runner = session.runner();
      feedBatch(runner, feeds, batch);
      feedShared(runner, feeds, batch, shared);
      try (Result r = runner.fetch(g.loss).run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }
  }

  /**
   * d loss / d variable for every trainable variable on a batch (dropout off); used by the gradient
   * test.
   */
  public Map<String, float[]> gradients(TrainingBatch batch) {
    try (Feeds feeds = new Feeds()) {
      var runner = session.runner();
      feedBatch(runner, feeds, batch);
      for (var grad : g.gradients) runner.fetch(grad);
      try (Result r = runner.run()) {
        Map<String, float[]> out = new LinkedHashMap<>();
        int i = 0;
        for (String name : g.variables().keySet()) out.put(name, floats(r.get(i++)));
        return out;
      }
    }
  }

  private float runUpdate(
      TrainingBatch batch,
      SharedNegatives shared,
      UpdateScope scope,
      Optimizer optimizer,
      float lr,
      float dropout,
      float weightDecay) {
    try (Feeds feeds = new Feeds()) {
      var runner = session.runner();
      feedBatch(runner, feeds, batch);
      feedShared(runner, feeds, batch, shared);
      runner.feed(g.dropoutRate, feeds.track(TFloat32.scalarOf(dropout)));
      runner.feed(g.learningRate, feeds.track(TFloat32.scalarOf(lr)));
      if (weightDecay > 0) runner.feed(g.weightDecay, feeds.track(TFloat32.scalarOf(weightDecay)));
      if (scope instanceof UpdateScope.Only only) {
        for (var e : g.variableMask.entrySet()) {
          boolean moves = only.variables().contains(e.getKey());
          runner.feed(e.getValue(), feeds.track(TFloat32.scalarOf(moves ? 1f : 0f)));
        }
        if (only.itemRows() != null) {
          float[] rows = new float[config.numItems() + 1];
          for (int r : only.itemRows()) {
            if (r > 0 && r <= config.numItems()) rows[r] = 1f;
          }
          runner.feed(g.itemRowMask, feeds.floats(Shape.of(rows.length, 1), rows));
        }
      }
      runner.fetch(g.loss).addTarget(optimizer == Optimizer.ADAM ? g.adamStep : g.sgdStep);
      try (Result r = runner.run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }
  }

  // ------------------------------------------------------------------ weights in and out

  /** Names of the trainable variables followed by the optimiser slots. */
  public List<String> variableNames(boolean includeOptimizerState) {
    List<String> names = new ArrayList<>(g.variables().keySet());
    if (includeOptimizerState) names.addAll(g.optimizerSlots().keySet());
    return names;
  }

  /** The variable's shape (a weight or an optimiser slot). */
  public long[] variableShape(String name) {
    Variable<TFloat32> v = variable(name);
    long[] shape = v.shape().asArray();
    for (long dim : shape) {
      if (dim < 0) return readVariable(name).shape();
    }
    return shape;
  }

  public DenseTensor readVariable(String name) {
    Variable<TFloat32> v = variable(name);
    try (Result r = session.runner().fetch(v).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      return new DenseTensor(t.shape().asArray(), floats(t));
    }
  }

  public synchronized void writeVariable(String name, DenseTensor value) {
    long[] shape = variableShape(name); // also validates the name
    if (!Arrays.equals(shape, value.shape())) {
      throw new IllegalArgumentException(
          "shape mismatch for "
              + name
              + ": have "
              + Arrays.toString(shape)
              + ", got "
              + Arrays.toString(value.shape()));
    }
    try (TFloat32 t =
        TFloat32.tensorOf(Shape.of(value.shape()), DataBuffers.of(value.values(), true, false))) {
      session.runner().feed(g.assignValue(name), t).addTarget(g.assignOp(name)).run().close();
    }
  }

  private Variable<TFloat32> variable(String name) {
    Variable<TFloat32> v = g.variables().get(name);
    if (v == null) v = g.optimizerSlots().get(name);
    if (v == null) throw new IllegalArgumentException("no variable named " + name);
    return v;
  }

  /**
   * Copies of the given item-embedding rows, row-major [rows.length, d]: what a trainer publishes
   * as a delta. Reads only those rows (a gather in the graph).
   *
   * @throws IllegalArgumentException if a row is outside 0..numItems
   */
  public float[] readItemRows(int[] rows) {
    checkRows(rows);
    if (rows.length == 0) return new float[0];
    try (Feeds feeds = new Feeds()) {
      var runner = session.runner().feed(g.itemRowsIndex, feeds.ints(Shape.of(rows.length), rows));
      try (Result r = runner.fetch(g.itemRowsRead).run()) {
        return floats(r.get(0));
      }
    }
  }

  /**
   * Overwrites the given item-embedding rows (e.g. applying a published delta) with a scatter in
   * the graph; the rest of the table is untouched. A row given twice gets its last value.
   *
   * @throws IllegalArgumentException if a row is outside 0..numItems or values is not rows.length x
   *     d
   */
  public synchronized void writeItemRows(int[] rows, float[] values) {
    int d = config.dim();
    if (values.length != (long) rows.length * d) {
      throw new IllegalArgumentException(
          "values must be rows x d = " + rows.length + " x " + d + " floats, got " + values.length);
    }
    checkRows(rows);
    if (rows.length == 0) return;
    int[] r = rows;
    float[] v = values;
    if (Arrays.stream(rows).distinct().count() != rows.length) {
      // ScatterUpdate with repeated indices is unordered: keep only each row's last occurrence.
      Map<Integer, Integer> last = new LinkedHashMap<>();
      for (int i = 0; i < rows.length; i++) {
        last.remove(rows[i]);
        last.put(rows[i], i);
      }
      r = new int[last.size()];
      v = new float[last.size() * d];
      int j = 0;
      for (var e : last.entrySet()) {
        r[j] = e.getKey();
        System.arraycopy(values, e.getValue() * d, v, j * d, d);
        j++;
      }
    }
    try (Feeds feeds = new Feeds()) {
      session
          .runner()
          .feed(g.itemRowsIndex, feeds.ints(Shape.of(r.length), r))
          .feed(g.itemRowsValue, feeds.floats(Shape.of(r.length, d), v))
          .addTarget(g.itemRowsWrite)
          .run()
          .close();
    }
  }

  /**
   * Initialises item rows for new items: {@link #writeItemRows} plus zeroing those rows' Adam
   * moments ({@code item_embedding_adam_m} / {@code _adam_v}; the optimiser keeps per-row moments,
   * so a reused or pre-moved spare row must not carry old momentum into its first update). Does not
   * change assignedItems.
   */
  public synchronized void initItemRows(int[] rows, float[] values) {
    writeItemRows(rows, values);
    if (rows.length == 0) return;
    try (Feeds feeds = new Feeds()) {
      session
          .runner()
          .feed(g.itemRowsIndex, feeds.ints(Shape.of(rows.length), rows))
          .addTarget(g.itemRowsResetAdam)
          .run()
          .close();
    }
  }

  /**
   * The mean item-embedding row (length d) of {@code ofRows} (e.g. a new item's category), or of
   * every assigned row 1..assignedItems when {@code ofRows} is empty (the global mean): a starting
   * point for a new item.
   *
   * @throws IllegalArgumentException if a row is outside 1..numItems, or ofRows is empty and no
   *     item is assigned
   */
  public float[] meanItemRow(int[] ofRows) {
    int d = config.dim();
    int[] rows = ofRows;
    if (rows.length == 0) {
      int assigned = assignedItems;
      if (assigned == 0)
        throw new IllegalArgumentException("no item is assigned: there is no mean row");
      rows = new int[assigned];
      for (int i = 0; i < assigned; i++) rows[i] = i + 1;
    }
    for (int row : rows) {
      if (row < 1 || row > config.numItems()) {
        throw new IllegalArgumentException("item row " + row + " outside 1.." + config.numItems());
      }
    }
    float[] values = readItemRows(rows);
    double[] sum = new double[d];
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < d; j++) sum[j] += values[i * d + j];
    }
    float[] mean = new float[d];
    for (int j = 0; j < d; j++) mean[j] = (float) (sum[j] / rows.length);
    return mean;
  }

  private void checkRows(int[] rows) {
    for (int row : rows) {
      if (row < 0 || row > config.numItems()) {
        throw new IllegalArgumentException(
            "item row "
                + row
                + " outside 0.."
                + config.numItems()
                + " (config.numItems, the table's capacity)");
      }
    }
  }

  /**
   * Every variable (weights and optimiser state) as a snapshot, e.g. to keep the best epoch in
   * memory.
   */
  public Map<String, DenseTensor> snapshot() {
    Map<String, DenseTensor> out = new LinkedHashMap<>();
    for (String name : variableNames(true)) out.put(name, readVariable(name));
    return out;
  }

  public synchronized void load(Map<String, DenseTensor> snapshot) {
    for (var e : snapshot.entrySet()) writeVariable(e.getKey(), e.getValue());
  }

  @Override
  public void close() {
    try {
      session.close();
    } finally {
      graph.close();
    }
  }

  // ------------------------------------------------------------------ feeding

  /** Feeds each row's transition bonuses as sparse (row, item) pairs; nothing without a blend. */
  private void feedBonuses(Session.Runner runner, Feeds feeds, List<SequenceInput> seqs) {
    TransitionBlend blend = transitionBlend;
    if (blend == null || blend.weight() == 0f) return;
    int total = 0;
    for (SequenceInput s : seqs) total += blend.bonusCount(s);
    int[] index = new int[total * 2];
    float[] value = new float[total];
    int[] m = {0};
    for (int row = 0; row < seqs.size(); row++) {
      int r = row;
      // Pairs of one item from several history rows are summed by scatter_nd.
      blend.forEachBonus(
          seqs.get(row),
          (item, bonus) -> {
            index[2 * m[0]] = r;
            index[2 * m[0] + 1] = item;
            value[m[0]++] = bonus;
          });
    }
    runner.feed(g.bonusIndex, feeds.ints(Shape.of(total, 2), index));
    runner.feed(g.bonusValue, feeds.floats(Shape.of(total), value));
  }

  private void feedBatch(Session.Runner runner, Feeds feeds, TrainingBatch b) {
    Shape seq = Shape.of(b.size(), b.maxLen());
    checkLen(b.maxLen());
    int t = b.targetsPerRow();
    runner
        .feed(g.items, feeds.ints(seq, b.items()))
        .feed(g.positives, feeds.ints(Shape.of(b.size(), t), b.positives()))
        .feed(g.negatives, feeds.ints(Shape.of(b.size(), t, b.negatives()), b.negativeIds()))
        .feed(g.assignedItems, feeds.track(TInt32.scalarOf(assignedItems)));
    feedSide(runner, feeds, g.eventTypes, b.eventTypes(), b.size(), b.maxLen());
    feedSide(runner, feeds, g.gapBuckets, b.gapBuckets(), b.size(), b.maxLen());
    feedSide(runner, feeds, g.categories, b.categories(), b.size(), b.maxLen());
  }

  private void feedShared(
      Session.Runner runner, Feeds feeds, TrainingBatch batch, SharedNegatives shared) {
    if (shared == null) return;
    int k = shared.ids().length;
    runner.feed(g.sharedNegatives, feeds.ints(Shape.of(k), shared.ids()));
    if (shared.logQ() != null) {
      if (shared.positiveLogQ().length != batch.positives().length) {
        throw new IllegalArgumentException("positiveLogQ must align with the batch's positives");
      }
      runner.feed(g.sharedLogQ, feeds.floats(Shape.of(k), shared.logQ()));
      runner.feed(
          g.positiveLogQ,
          feeds.floats(Shape.of(batch.size(), batch.targetsPerRow()), shared.positiveLogQ()));
    }
  }

  private void feedSide(
      Session.Runner runner, Feeds feeds, Operand<TInt32> ph, int[] values, int b, int len) {
    if (ph == null) return;
    int[] v = values != null ? values : new int[b * len];
    runner.feed(ph, feeds.ints(Shape.of(b, len), v));
  }

  private void checkLen(int len) {
    if (len < 1 || len > config.maxLen()) {
      throw new IllegalArgumentException(
          "batch length " + len + " is outside 1.." + config.maxLen() + " (the model's maxLen)");
    }
  }

  /**
   * Feeds the left-padded sequences (and side inputs); returns the padded item ids as fed, [B*L].
   * {@code fitted}: L is {@link Padding#fittedLength} of the longest history, else maxLen (the
   * explanation paths read maxLen positions back).
   */
  private int[] feedSequences(
      Session.Runner runner, Feeds feeds, List<SequenceInput> seqs, boolean fitted) {
    int b = seqs.size();
    int assigned = assignedItems; // one read per call: the mask and the history agree
    List<SequenceInput> kept = new ArrayList<>(b);
    int longest = 0;
    for (SequenceInput s : seqs) {
      SequenceInput k = withoutSpareRows(s, assigned);
      kept.add(k);
      longest = Math.max(longest, k.items().length);
    }
    int len = fitted ? Padding.fittedLength(longest, config.maxLen()) : config.maxLen();
    int[] items = new int[b * len];
    int[] ev = g.eventTypes != null ? new int[b * len] : null;
    int[] gap = g.gapBuckets != null ? new int[b * len] : null;
    int[] cat = g.categories != null ? new int[b * len] : null;
    for (int row = 0; row < b; row++) {
      SequenceInput s = kept.get(row);
      Padding.leftPadInto(s.items(), items, row * len, len, config.numItems());
      if (ev != null && s.eventTypes() != null)
        Padding.leftPadInto(s.eventTypes(), ev, row * len, len, config.eventTypes());
      if (gap != null && s.gapBuckets() != null)
        Padding.leftPadInto(s.gapBuckets(), gap, row * len, len, config.gapBuckets());
      if (cat != null && s.categories() != null)
        Padding.leftPadInto(s.categories(), cat, row * len, len, config.categories());
    }
    runner.feed(g.items, feeds.ints(Shape.of(b, len), items));
    runner.feed(g.assignedItems, feeds.track(TInt32.scalarOf(assigned)));
    if (ev != null) runner.feed(g.eventTypes, feeds.ints(Shape.of(b, len), ev));
    if (gap != null) runner.feed(g.gapBuckets, feeds.ints(Shape.of(b, len), gap));
    if (cat != null) runner.feed(g.categories, feeds.ints(Shape.of(b, len), cat));
    return items;
  }

  /**
   * The sequence without entries in assigned+1..numItems (spare rows, not items yet), side inputs
   * kept aligned; the sequence itself when it has none (the usual case, no copy).
   */
  private SequenceInput withoutSpareRows(SequenceInput s, int assigned) {
    int[] in = s.items();
    int keep = 0;
    for (int v : in) {
      if (v <= assigned || v > config.numItems()) keep++;
    }
    if (keep == in.length) return s;
    int[] items = new int[keep];
    int[] ev = s.eventTypes() == null ? null : new int[keep];
    int[] gap = s.gapBuckets() == null ? null : new int[keep];
    int[] cat = s.categories() == null ? null : new int[keep];
    int j = 0;
    for (int i = 0; i < in.length; i++) {
      if (in[i] > assigned && in[i] <= config.numItems()) continue;
      items[j] = in[i];
      if (ev != null) ev[j] = s.eventTypes()[i];
      if (gap != null) gap[j] = s.gapBuckets()[i];
      if (cat != null) cat[j] = s.categories()[i];
      j++;
    }
    return new SequenceInput(items, ev, gap, cat);
  }

  static float[] floats(Tensor t) {
    TFloat32 f = (TFloat32) t;
    float[] out = new float[(int) f.size()];
    f.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  static int[] ints(Tensor t) {
    TInt32 f = (TInt32) t;
    int[] out = new int[(int) f.size()];
    f.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /** Input tensors of one run, all closed together. */
  private static final class Feeds implements AutoCloseable {
    private final List<Tensor> open = new ArrayList<>();

    <T extends Tensor> T track(T t) {
      open.add(t);
      return t;
    }

    TInt32 ints(Shape shape, int[] values) {
      return track(TInt32.tensorOf(shape, DataBuffers.of(values, true, false)));
    }

    TFloat32 floats(Shape shape, float[] values) {
      return track(TFloat32.tensorOf(shape, DataBuffers.of(values, true, false)));
    }

    @Override
    public void close() {
      for (Tensor t : open) t.close();
    }
  }
}
