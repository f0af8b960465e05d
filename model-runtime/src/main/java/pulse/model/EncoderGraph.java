package pulse.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Builds the whole SASRec-style encoder once, in one TensorFlow graph: forward pass, the losses
 * ({@link LossKind}), the gradients, an Adam and an SGD update (both maskable per variable and per
 * item-embedding row), full-catalogue scores, an in-graph top-K and the attention rollout behind
 * explanations ({@link Explainer}), and the item-row gather/scatter ops behind deltas. Nothing is
 * built per step; callers only feed placeholders and fetch outputs.
 *
 * <p>Spare rows: the item table has {@code numItems + 1} rows (row 0 = padding), but only rows
 * {@code 1..assignedItems} hold items; {@link #assignedItems} (a scalar fed per call, default
 * numItems) masks the rest out of the scores and the top-K with the exclusion penalty, so rows can
 * be handed to new items later without rebuilding the graph.
 *
 * <p>Architecture (pre-LayerNorm SASRec, as in the PyTorch reproduction): item embedding * sqrt(d)
 * + learned position embedding (+ side embeddings), dropout, then per block {@code q = LN(x); x = q
 * + MHA(q, x, x); x = LN(x); x = x + FFN(x)}, padding rows zeroed after each block, and a final LN.
 * Attention uses a causal mask and a key-padding mask. The user vector is the last position's
 * output; scores are dot products with the (tied) item table.
 */
public final class EncoderGraph {

  /** Variable names are part of the export format: renaming one breaks loading of older models. */
  public static final String ITEM_EMBEDDING = "item_embedding";

  private static final float MASKED = -1e9f;

  private final ModelConfig config;
  private final Ops tf;
  private final Graph graph;
  private long seed2 = 1;

  // ---- inputs
  public final Placeholder<TInt32> items; // [B, L] left-padded internal item indices
  public final Placeholder<TInt32> eventTypes; // [B, L] or null
  public final Placeholder<TInt32> gapBuckets; // [B, L] or null
  public final Placeholder<TInt32> categories; // [B, L] or null
  public final Operand<TFloat32> dropoutRate; // scalar, defaults to 0 (inference)
  public final Placeholder<TInt32>
      positives; // [B, T] next item of each of the last T positions, 0 = none
  public final Placeholder<TInt32> negatives; // [B, T, K]
  // [K] negatives shared by every position of a batch (SAMPLED_CE*); defaults to the per-position
  // negatives flattened, so a caller that only builds per-position negatives (the online learner)
  // still trains a shared-negatives model.
  public final Operand<TInt32> sharedNegatives;
  public final Operand<TFloat32> sharedLogQ; // [K] log sampling probability, default 0
  public final Operand<TFloat32> positiveLogQ; // [B, T] log sampling probability, default 0
  public final Placeholder<TInt32> excludeIndex; // [M, 2] (row, item) pairs removed from top-K
  public final Placeholder<TInt32> allowIndex; // [A, 2] (row, item) pairs of the allowed set
  public final Operand<TInt32> bonusIndex; // [M, 2] (row, item) pairs given a transition bonus
  public final Operand<TFloat32> bonusValue; // [M] their bonuses (TransitionBlend); default none
  public final Placeholder<TFloat32> hasAllowed; // [B] 1 where that row has an allowed set
  public final Placeholder<TInt32> k; // scalar
  public final Placeholder<TInt32> explainItems; // [B, C] candidates to explain (0 = unused slot)
  public final Operand<TFloat32> learningRate; // scalar, defaults to config lr
  // scalar, defaults to 0: decoupled (AdamW) weight decay of the Adam step, see buildAdam
  public final Operand<TFloat32> weightDecay;
  public final Operand<TFloat32>
      itemRowMask; // [N+1, 1] which item rows an update may move (default all)
  public final Operand<TInt32>
      assignedItems; // scalar, defaults to numItems: rows above it are spare (masked)
  public final Placeholder<TInt32>
      itemRowsIndex; // [R] item rows read, written or reset by the row ops below
  public final Placeholder<TFloat32> itemRowsValue; // [R, d] values written by writeItemRows
  public final Map<String, Operand<TFloat32>> variableMask =
      new LinkedHashMap<>(); // scalar per variable

  // ---- outputs
  public final Operand<TFloat32> sequenceOutput; // [B, L, d]
  public final Operand<TFloat32> userVectors; // [B, d]
  public final Operand<TFloat32>
      allScores; // [B, N+1], columns above assignedItems carry the -1e9 penalty
  public final Operand<TFloat32> topScores; // [B, k]
  public final Operand<TInt32> topItems; // [B, k]
  public final Operand<TFloat32>
      attentionRollout; // [B, L] last position's attention rollout (see Explainer)
  public final Operand<TFloat32> explainWeights; // [B, C, L] per candidate, each position's share
  public final Operand<TFloat32> loss; // scalar
  public final List<Operand<TFloat32>> gradients;
  public final Op adamStep;
  public final Op sgdStep;
  public final Operand<TFloat32> itemRowsRead; // [R, d] the item-embedding rows at itemRowsIndex
  public final Op itemRowsWrite; // item_embedding[itemRowsIndex] = itemRowsValue
  public final Op itemRowsResetAdam; // both Adam moments of item_embedding[itemRowsIndex] = 0

  // ---- state
  private Operand<TInt32> seqLen; // scalar L, the fed sequences' length
  private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
  private final Map<String, Variable<TFloat32>> slots = new LinkedHashMap<>();
  private final Map<String, Placeholder<TFloat32>> assignValue = new LinkedHashMap<>();
  private final Map<String, Op> assignOp = new LinkedHashMap<>();

  /**
   * Head-averaged attention probabilities [B,L,L] of the serving forward pass, one per block, for
   * the rollout.
   */
  private final List<Operand<TFloat32>> inferenceAttention = new ArrayList<>();

  private Operand<TFloat32> inferenceMask;

  public EncoderGraph(Graph graph, ModelConfig config) {
    this.graph = graph;
    this.config = config;
    this.tf = Ops.create(graph).withDevice(config.device().spec());
    int n = config.numItems() + 1;
    int d = config.dim();
    int len = config.maxLen();

    // The sequence length L is the caller's: any 1..maxLen (SasRecModel pads a batch to its longest
    // history,
    // not always to maxLen), so a short history does not pay for maxLen positions. The last L rows
    // of the
    // position table are used: the most recent item always has position maxLen-1, as in training.
    items = tf.withName("items").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
    eventTypes =
        config.eventTypes() > 0
            ? tf.withName("event_types")
                .placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)))
            : null;
    gapBuckets =
        config.gapBuckets() > 0
            ? tf.withName("gap_buckets")
                .placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)))
            : null;
    categories =
        config.categories() > 0
            ? tf.withName("categories")
                .placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)))
            : null;
    dropoutRate =
        tf.withName("dropout_rate").placeholderWithDefault(tf.constant(0f), Shape.scalar());
    positives =
        tf.withName("positives").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
    negatives =
        tf.withName("negatives").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1, -1)));
    sharedNegatives =
        tf.withName("shared_negatives")
            .placeholderWithDefault(
                tf.reshape(negatives, tf.constant(new int[] {-1})), Shape.of(-1));
    sharedLogQ =
        tf.withName("shared_log_q")
            .placeholderWithDefault(
                tf.zerosLike(tf.dtypes.cast(sharedNegatives, TFloat32.class)), Shape.of(-1));
    positiveLogQ =
        tf.withName("positive_log_q")
            .placeholderWithDefault(
                tf.zerosLike(tf.dtypes.cast(positives, TFloat32.class)), Shape.of(-1, -1));
    excludeIndex =
        tf.withName("exclude_index").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, 2)));
    allowIndex =
        tf.withName("allow_index").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, 2)));
    bonusIndex =
        tf.withName("bonus_index")
            .placeholderWithDefault(
                tf.zeros(tf.constant(new int[] {0, 2}), TInt32.class), Shape.of(-1, 2));
    bonusValue =
        tf.withName("bonus_value")
            .placeholderWithDefault(
                tf.zeros(tf.constant(new int[] {0}), TFloat32.class), Shape.of(-1));
    hasAllowed =
        tf.withName("has_allowed").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
    k = tf.withName("k").placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    explainItems =
        tf.withName("explain_items").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
    learningRate =
        tf.withName("learning_rate")
            .placeholderWithDefault(tf.constant((float) config.learningRate()), Shape.scalar());
    weightDecay =
        tf.withName("weight_decay").placeholderWithDefault(tf.constant(0f), Shape.scalar());
    itemRowMask =
        tf.withName("item_row_mask")
            .placeholderWithDefault(
                tf.ones(tf.constant(new int[] {n, 1}), TFloat32.class), Shape.of(n, 1));
    assignedItems =
        tf.withName("assigned_items")
            .placeholderWithDefault(tf.constant(config.numItems()), Shape.scalar());
    itemRowsIndex =
        tf.withName("item_rows_index").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    itemRowsValue =
        tf.withName("item_rows_value")
            .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, d)));

    seqLen = tf.gather(tf.shape(items), tf.constant(1), tf.constant(0));

    // ---- parameters (Xavier-normal matrices like the reference implementation; zero biases; LN =
    // identity)
    // Two forward passes over the same variables: the training one with dropout (driven by
    // dropoutRate), and
    // the serving one with no dropout ops at all, so inference does not pay for random-number
    // generation.
    Operand<TFloat32> trainOutput = forward(true);
    Operand<TFloat32> x = forward(false);
    Operand<TFloat32> itemTable = itemTableRead;
    sequenceOutput = tf.withName("sequence_output").identity(x);
    userVectors =
        tf.withName("user_vectors")
            .identity(tf.gather(x, tf.math.sub(seqLen, tf.constant(1)), tf.constant(1)));

    Operand<TFloat32> rawScores = tf.linalg.matMul(userVectors, itemTable, MatMul.transposeB(true));
    // Spare rows (index > assignedItems) hold no item yet: 1 in those columns, 0 elsewhere. Adding
    // 0 * -1e9
    // (= -0.0) leaves the assigned columns' scores bit-identical.
    int[] columnIndex = new int[n];
    for (int i = 0; i < n; i++) columnIndex[i] = i;
    Operand<TFloat32> unassigned =
        tf.dtypes.cast(tf.math.greater(tf.constant(columnIndex), assignedItems), TFloat32.class);
    allScores =
        tf.withName("all_scores").math.add(rawScores, tf.math.mul(unassigned, tf.constant(MASKED)));

    // ---- in-graph top-K with exclusions and optional allowed set
    Operand<TInt32> batch = tf.gather(tf.shape(items), tf.constant(0), tf.constant(0));
    Operand<TInt32> scoreShape = tf.stack(List.of(batch, tf.constant(n)));
    Operand<TFloat32> excluded =
        tf.scatterNd(
            excludeIndex,
            tf.fill(
                tf.expandDims(
                    tf.gather(tf.shape(excludeIndex), tf.constant(0), tf.constant(0)),
                    tf.constant(0)),
                tf.constant(1f)),
            scoreShape);
    Operand<TFloat32> allowedHits =
        tf.math.minimum(
            tf.scatterNd(
                allowIndex,
                tf.fill(
                    tf.expandDims(
                        tf.gather(tf.shape(allowIndex), tf.constant(0), tf.constant(0)),
                        tf.constant(0)),
                    tf.constant(1f)),
                scoreShape),
            tf.constant(1f));
    Operand<TFloat32> notAllowed =
        tf.math.mul(
            tf.expandDims(hasAllowed, tf.constant(1)), tf.math.sub(tf.constant(1f), allowedHits));
    float[] paddingColumn = new float[n];
    paddingColumn[0] = 1f;
    Operand<TFloat32> blocked =
        tf.math.minimum(
            tf.math.add(
                tf.math.add(tf.math.add(excluded, notAllowed), tf.constant(paddingColumn)),
                unassigned),
            tf.constant(1f));
    Operand<TFloat32> blended =
        tf.math.add(rawScores, tf.scatterNd(bonusIndex, bonusValue, scoreShape));
    Operand<TFloat32> masked = tf.math.add(blended, tf.math.mul(blocked, tf.constant(MASKED)));
    TopK<TFloat32, TInt32> top = tf.nn.topK(masked, k, TInt32.class, TopK.sorted(true));
    topScores = tf.withName("top_scores").identity(top.values());
    topItems = tf.withName("top_items").identity(top.indices());

    // ---- explanations, from the serving pass's attention (no dropout)
    attentionRollout =
        tf.withName("attention_rollout")
            .identity(Explainer.rollout(tf, inferenceAttention, inferenceMask, len));
    explainWeights =
        tf.withName("explain_weights")
            .identity(
                Explainer.contributions(tf, attentionRollout, itemTable, items, explainItems));

    // ---- loss over every non-padding position
    loss = tf.withName("loss").identity(buildLoss(trainOutput, itemTable));

    List<Operand<TFloat32>> trainable = new ArrayList<>(variables.values());
    var grads = tf.gradients(loss, trainable);
    List<Operand<TFloat32>> g = new ArrayList<>();
    for (int i = 0; i < trainable.size(); i++) {
      g.add(grads.<TFloat32>dy(i));
    }
    gradients = Collections.unmodifiableList(g);
    adamStep = buildAdam(g);
    sgdStep = buildSgd(g);

    for (var e : variables.entrySet()) addAssign(e.getKey(), e.getValue());
    for (var e : slots.entrySet()) addAssign(e.getKey(), e.getValue());

    // ---- item-row ops: read, overwrite and reset the optimiser state of a few rows without
    // copying the table
    Variable<TFloat32> table = variables.get(ITEM_EMBEDDING);
    itemRowsRead =
        tf.withName("item_rows_read").gather(tf.identity(table), itemRowsIndex, tf.constant(0));
    itemRowsWrite =
        tf.withName("item_rows_write").scatterUpdate(table, itemRowsIndex, itemRowsValue);
    Operand<TFloat32> zeroRows =
        tf.fill(tf.stack(List.of(tf.size(itemRowsIndex), tf.constant(d))), tf.constant(0f));
    itemRowsResetAdam =
        tf.withName("item_rows_reset_adam")
            .withControlDependencies(
                List.<Op>of(
                    tf.scatterUpdate(
                        slots.get(ITEM_EMBEDDING + "_adam_m"), itemRowsIndex, zeroRows),
                    tf.scatterUpdate(
                        slots.get(ITEM_EMBEDDING + "_adam_v"), itemRowsIndex, zeroRows)))
            .noOp();
  }

  public ModelConfig config() {
    return config;
  }

  public Graph graph() {
    return graph;
  }

  /** Trainable variables by name, in creation order. */
  public Map<String, Variable<TFloat32>> variables() {
    return Collections.unmodifiableMap(variables);
  }

  /** Adam moments and step counter, by name. */
  public Map<String, Variable<TFloat32>> optimizerSlots() {
    return Collections.unmodifiableMap(slots);
  }

  public Placeholder<TFloat32> assignValue(String name) {
    Placeholder<TFloat32> p = assignValue.get(name);
    if (p == null) throw new IllegalArgumentException("no variable named " + name);
    return p;
  }

  public Op assignOp(String name) {
    return assignOp.get(name);
  }

  // ------------------------------------------------------------------ building blocks

  /**
   * The encoder's per-position output [B,L,d]; variables are created on the first call and shared
   * after.
   */
  private Operand<TFloat32> forward(boolean training) {
    int n = config.numItems() + 1;
    int d = config.dim();
    int len = config.maxLen();
    if (itemTableRead == null) itemTableRead = read(normal(ITEM_EMBEDDING, n, d));
    Operand<TFloat32> itemTable = itemTableRead;
    Operand<TFloat32> positionTable =
        tf.gather(
            read(normal("position_embedding", len, d)),
            tf.range(tf.math.sub(tf.constant(len), seqLen), tf.constant(len), tf.constant(1)),
            tf.constant(0)); // [L,d]

    Operand<TFloat32> mask =
        tf.dtypes.cast(tf.math.notEqual(items, tf.constant(0)), TFloat32.class); // [B,L]
    Operand<TFloat32> mask3 = tf.expandDims(mask, tf.constant(-1)); // [B,L,1]
    if (!training) inferenceMask = mask;

    Operand<TFloat32> x =
        tf.math.mul(tf.gather(itemTable, items, tf.constant(0)), tf.constant((float) Math.sqrt(d)));
    x = tf.math.add(x, positionTable);
    if (eventTypes != null) {
      x =
          tf.math.add(
              x,
              tf.gather(
                  read(normal("event_type_embedding", config.eventTypes() + 1, d)),
                  eventTypes,
                  tf.constant(0)));
    }
    if (gapBuckets != null) {
      x =
          tf.math.add(
              x,
              tf.gather(
                  read(normal("gap_bucket_embedding", config.gapBuckets() + 1, d)),
                  gapBuckets,
                  tf.constant(0)));
    }
    if (categories != null) {
      x =
          tf.math.add(
              x,
              tf.gather(
                  read(normal("category_embedding", config.categories() + 1, d)),
                  categories,
                  tf.constant(0)));
    }
    x = tf.math.mul(dropout(training, x), mask3);

    // Additive attention bias [B,1,L,L]: 0 where query i may see key j (j <= i and j is not
    // padding), else -1e9.
    Operand<TInt32> positions = tf.range(tf.constant(0), seqLen, tf.constant(1));
    Operand<TFloat32> causal =
        tf.dtypes.cast(
            tf.math.lessEqual(
                tf.expandDims(positions, tf.constant(0)), tf.expandDims(positions, tf.constant(1))),
            TFloat32.class); // [L,L]: j <= i
    Operand<TFloat32> keyValid =
        tf.reshape(
            mask, tf.stack(List.of(tf.constant(-1), tf.constant(1), tf.constant(1), seqLen)));
    Operand<TFloat32> allowed = tf.math.mul(causal, keyValid);
    Operand<TFloat32> attentionBias =
        tf.math.mul(tf.math.sub(tf.constant(1f), allowed), tf.constant(MASKED));

    for (int b = 0; b < config.blocks(); b++) {
      String p = "block" + b + "_";
      Operand<TFloat32> q = layerNorm(p + "attn_ln", x);
      Operand<TFloat32> attended = attention(training, p, q, x, attentionBias);
      x = tf.math.add(q, attended);
      x = layerNorm(p + "ffn_ln", x);
      Operand<TFloat32> h = dropout(training, tf.nn.relu(dense(p + "ffn1", x, d, d)));
      h = dropout(training, dense(p + "ffn2", h, d, d));
      x = tf.math.mul(tf.math.add(x, h), mask3);
    }
    x = layerNorm("final_ln", x);
    return x;
  }

  private Operand<TFloat32> itemTableRead;

  /**
   * Mean loss over the targets. Targets cover the last T positions (T = positives' second
   * dimension, at most L): offline training has one per position (T = L), an online step only the
   * last (T = 1), and then the loss's negatives cost B x K dot products instead of B x L x K.
   */
  private Operand<TFloat32> buildLoss(Operand<TFloat32> sequence, Operand<TFloat32> itemTable) {
    int d = config.dim();
    Operand<TInt32> rows = tf.gather(tf.shape(positives), tf.constant(0), tf.constant(0));
    Operand<TInt32> targets = tf.gather(tf.shape(positives), tf.constant(1), tf.constant(0));
    // Row b's last T positions in the flattened [B*L, d] output: b*L + (L-T) + t. (A gather on axis
    // 0, whose
    // gradient TensorFlow's C++ registry has, rather than a slice on axis 1.)
    Operand<TInt32> rowStart =
        tf.math.add(
            tf.math.mul(tf.range(tf.constant(0), rows, tf.constant(1)), seqLen),
            tf.math.sub(seqLen, targets));
    Operand<TInt32> index =
        tf.math.add(
            tf.expandDims(rowStart, tf.constant(1)),
            tf.expandDims(
                tf.range(tf.constant(0), targets, tf.constant(1)), tf.constant(0))); // [B,T]
    Operand<TFloat32> x =
        tf.gather(
            tf.reshape(sequence, tf.constant(new int[] {-1, d})), index, tf.constant(0)); // [B,T,d]
    if (config.loss().isCrossEntropy()) {
      return crossEntropy(x, itemTable);
    }
    Operand<TFloat32> targetMask =
        tf.dtypes.cast(tf.math.notEqual(positives, tf.constant(0)), TFloat32.class);
    Operand<TFloat32> posLogits =
        tf.reduceSum(
            tf.math.mul(x, tf.gather(itemTable, positives, tf.constant(0))),
            tf.constant(-1)); // [B,T]
    // [B*T,1,d] x [B*T,K,d]^T -> [B*T,1,K]
    Operand<TFloat32> flatX = tf.reshape(x, tf.constant(new int[] {-1, 1, d}));
    Operand<TFloat32> negEmb = tf.gather(itemTable, negatives, tf.constant(0)); // [B,T,K,d]
    Operand<TInt32> kNeg = tf.gather(tf.shape(negatives), tf.constant(2), tf.constant(0));
    Operand<TFloat32> flatNeg =
        tf.reshape(negEmb, tf.stack(List.of(tf.constant(-1), kNeg, tf.constant(d))));
    Operand<TFloat32> negLogits =
        tf.reshape(
            tf.train.batchMatMul(flatX, flatNeg, TFloat32.class, BatchMatMul.adjY(true)),
            tf.stack(List.of(tf.constant(-1), targets, kNeg))); // [B,T,K]

    Operand<TFloat32> perPosition =
        switch (config.loss()) {
          case BCE ->
              tf.math.add(
                  tf.math.softplus(tf.math.neg(posLogits)),
                  tf.reduceSum(tf.math.softplus(negLogits), tf.constant(-1)));
          case GBCE -> {
            // gSASRec: beta = alpha * (t * (1 - 1/alpha) + 1/alpha) = 1 - t + t * alpha, alpha = K
            // / (N - 1),
            // N = the assigned items (negatives are drawn from those, never from spare rows).
            Operand<TFloat32> others =
                tf.math.maximum(
                    tf.dtypes.cast(tf.math.sub(assignedItems, tf.constant(1)), TFloat32.class),
                    tf.constant(1f));
            Operand<TFloat32> alpha =
                tf.math.minimum(
                    tf.constant(1f), tf.math.div(tf.constant((float) config.negatives()), others));
            float t = (float) config.gbceT();
            Operand<TFloat32> beta =
                tf.math.add(tf.constant(1f - t), tf.math.mul(tf.constant(t), alpha));
            yield tf.math.add(
                tf.math.mul(beta, tf.math.softplus(tf.math.neg(posLogits))),
                tf.reduceSum(tf.math.softplus(negLogits), tf.constant(-1)));
          }
          case SAMPLED_SOFTMAX -> {
            Operand<TFloat32> logits =
                tf.concat(
                    List.of(tf.expandDims(posLogits, tf.constant(-1)), negLogits), tf.constant(-1));
            Operand<TFloat32> logProb =
                tf.nn.logSoftmax(
                    tf.reshape(
                        logits,
                        tf.stack(List.of(tf.constant(-1), tf.math.add(kNeg, tf.constant(1))))));
            // The positive is column 0.
            Operand<TFloat32> first =
                tf.reduceSum(
                    tf.math.mul(
                        logProb,
                        tf.oneHot(
                            tf.constant(0),
                            tf.math.add(kNeg, tf.constant(1)),
                            tf.constant(1f),
                            tf.constant(0f))),
                    tf.constant(-1));
            yield tf.math.neg(tf.reshape(first, tf.stack(List.of(tf.constant(-1), targets))));
          }
          case CE, SAMPLED_CE, SAMPLED_CE_POP ->
              throw new IllegalStateException("cross-entropy is built by crossEntropy()");
        };
    Operand<TFloat32> total =
        tf.reduceSum(tf.math.mul(perPosition, targetMask), tf.constant(new int[] {0, 1}));
    Operand<TFloat32> count =
        tf.math.maximum(tf.reduceSum(targetMask, tf.constant(new int[] {0, 1})), tf.constant(1f));
    return tf.math.div(total, count);
  }

  /**
   * Mean cross-entropy over the targeted positions x [B,T,d]. Only the M positions with a target
   * are gathered first, so padded positions cost no logits at all (short sequences leave most of a
   * [B,L] batch padded). Full CE: one [M,d] x [d,A+1] matmul over the assigned rows (spare rows are
   * not even read), the padding column masked. Sampled CE: [M,d] x [d,K] against the batch's shared
   * negatives, logits minus log Q, a negative equal to the row's positive masked.
   */
  private Operand<TFloat32> crossEntropy(Operand<TFloat32> x, Operand<TFloat32> itemTable) {
    int d = config.dim();
    Operand<TInt32> flatPositives = tf.reshape(positives, tf.constant(new int[] {-1}));
    Operand<TInt32> targeted =
        tf.dtypes.cast(
            tf.reshape(
                tf.where(tf.math.notEqual(flatPositives, tf.constant(0))),
                tf.constant(new int[] {-1})),
            TInt32.class); // [M]
    Operand<TFloat32> h =
        tf.gather(tf.reshape(x, tf.constant(new int[] {-1, d})), targeted, tf.constant(0)); // [M,d]
    Operand<TInt32> pos = tf.gather(flatPositives, targeted, tf.constant(0)); // [M]
    Operand<TFloat32> posLogits =
        tf.reduceSum(
            tf.math.mul(h, tf.gather(itemTable, pos, tf.constant(0))), tf.constant(-1)); // [M]
    Operand<TFloat32> perTarget;
    if (config.loss() == LossKind.CE) {
      Operand<TInt32> rows =
          tf.range(tf.constant(0), tf.math.add(assignedItems, tf.constant(1)), tf.constant(1));
      Operand<TFloat32> logits =
          tf.linalg.matMul(
              h, tf.gather(itemTable, rows, tf.constant(0)), MatMul.transposeB(true)); // [M,A+1]
      Operand<TFloat32> paddingColumn =
          tf.math.mul(
              tf.dtypes.cast(tf.math.equal(rows, tf.constant(0)), TFloat32.class),
              tf.constant(MASKED));
      perTarget = tf.math.sub(logSumExp(tf.math.add(logits, paddingColumn)), posLogits);
    } else {
      Operand<TFloat32> negLogits =
          tf.math.sub(
              tf.linalg.matMul(
                  h,
                  tf.gather(itemTable, sharedNegatives, tf.constant(0)),
                  MatMul.transposeB(true)),
              sharedLogQ); // [M,K]
      // Masked: a negative that is the row's own positive (an accidental hit), and padding ids (the
      // per-position negatives standing in for shared ones hold 0 where a row has no target).
      Operand<TFloat32> accidentalHit =
          tf.dtypes.cast(
              tf.math.equal(
                  tf.expandDims(pos, tf.constant(1)),
                  tf.expandDims(sharedNegatives, tf.constant(0))),
              TFloat32.class);
      Operand<TFloat32> padding =
          tf.dtypes.cast(tf.math.equal(sharedNegatives, tf.constant(0)), TFloat32.class);
      negLogits =
          tf.math.add(
              negLogits, tf.math.mul(tf.math.maximum(accidentalHit, padding), tf.constant(MASKED)));
      Operand<TFloat32> posCorrected =
          tf.math.sub(
              posLogits,
              tf.gather(
                  tf.reshape(positiveLogQ, tf.constant(new int[] {-1})), targeted, tf.constant(0)));
      Operand<TFloat32> logits =
          tf.concat(
              List.of(tf.expandDims(posCorrected, tf.constant(1)), negLogits), tf.constant(1));
      perTarget = tf.math.sub(logSumExp(logits), posCorrected);
    }
    Operand<TFloat32> count =
        tf.math.maximum(tf.dtypes.cast(tf.size(targeted), TFloat32.class), tf.constant(1f));
    return tf.math.div(tf.reduceSum(perTarget, tf.constant(0)), count);
  }

  /** log(sum(exp(z))) over the last axis of [M,C], shifted by the (constant) row maximum. */
  private Operand<TFloat32> logSumExp(Operand<TFloat32> z) {
    Operand<TFloat32> max =
        tf.stopGradient(tf.reduceMax(z, tf.constant(-1), ReduceMax.keepDims(true)));
    Operand<TFloat32> sum = tf.reduceSum(tf.math.exp(tf.math.sub(z, max)), tf.constant(-1));
    return tf.math.add(tf.math.log(sum), tf.reshape(max, tf.constant(new int[] {-1})));
  }

  private Operand<TFloat32> attention(
      boolean training,
      String p,
      Operand<TFloat32> queries,
      Operand<TFloat32> keys,
      Operand<TFloat32> bias) {
    int d = config.dim();
    int h = config.heads();
    int dh = d / h;
    Operand<TFloat32> q = splitHeads(dense(p + "q", queries, d, d), h, dh);
    Operand<TFloat32> kk = splitHeads(dense(p + "k", keys, d, d), h, dh);
    Operand<TFloat32> v = splitHeads(dense(p + "v", keys, d, d), h, dh);
    Operand<TFloat32> logits =
        tf.math.add(
            tf.math.mul(
                tf.train.batchMatMul(q, kk, TFloat32.class, BatchMatMul.adjY(true)),
                tf.constant((float) (1.0 / Math.sqrt(dh)))),
            bias); // [B,H,L,L]
    Operand<TFloat32> probabilities = tf.nn.softmax(logits);
    if (!training) inferenceAttention.add(tf.math.mean(probabilities, tf.constant(1))); // [B,L,L]
    Operand<TFloat32> weights = dropout(training, probabilities);
    Operand<TFloat32> context = tf.train.batchMatMul(weights, v, TFloat32.class); // [B,H,L,dh]
    Operand<TFloat32> merged =
        tf.reshape(
            tf.linalg.transpose(context, tf.constant(new int[] {0, 2, 1, 3})),
            tf.stack(List.of(tf.constant(-1), seqLen, tf.constant(d))));
    return dropout(training, dense(p + "o", merged, d, d));
  }

  private Operand<TFloat32> splitHeads(Operand<TFloat32> x, int h, int dh) {
    return tf.linalg.transpose(
        tf.reshape(x, tf.stack(List.of(tf.constant(-1), seqLen, tf.constant(h), tf.constant(dh)))),
        tf.constant(new int[] {0, 2, 1, 3}));
  }

  /**
   * x [B,L,in] @ W [in,out] + b, done as one 2-D matmul (its gradient is the well-trodden path).
   */
  private Operand<TFloat32> dense(String name, Operand<TFloat32> x, int in, int out) {
    Operand<TFloat32> w = read(normal(name + "_w", in, out));
    Operand<TFloat32> b = read(zeros(name + "_b", out));
    Operand<TFloat32> flat = tf.reshape(x, tf.constant(new int[] {-1, in}));
    Operand<TFloat32> y = tf.math.add(tf.linalg.matMul(flat, w), b);
    return tf.reshape(y, tf.stack(List.of(tf.constant(-1), seqLen, tf.constant(out))));
  }

  private Operand<TFloat32> layerNorm(String name, Operand<TFloat32> x) {
    int d = config.dim();
    Operand<TFloat32> gamma = read(ones(name + "_gamma", d));
    Operand<TFloat32> beta = read(zeros(name + "_beta", d));
    Operand<TFloat32> mean = tf.math.mean(x, tf.constant(-1), Mean.keepDims(true));
    Operand<TFloat32> centered = tf.math.sub(x, mean);
    Operand<TFloat32> variance =
        tf.math.mean(tf.math.square(centered), tf.constant(-1), Mean.keepDims(true));
    Operand<TFloat32> normed =
        tf.math.mul(centered, tf.math.rsqrt(tf.math.add(variance, tf.constant(1e-8f))));
    return tf.math.add(tf.math.mul(normed, gamma), beta);
  }

  /**
   * Inverted dropout driven by the dropoutRate placeholder, so one graph serves training and
   * inference.
   */
  private Operand<TFloat32> dropout(boolean training, Operand<TFloat32> x) {
    if (!training) return x;
    Operand<TFloat32> keep = tf.math.sub(tf.constant(1f), dropoutRate);
    Operand<TFloat32> noise =
        tf.random.randomUniform(
            tf.shape(x),
            TFloat32.class,
            RandomUniform.seed(config.seed()),
            RandomUniform.seed2(seed2++));
    Operand<TFloat32> keepMask = tf.math.floor(tf.math.add(keep, noise));
    return tf.math.div(tf.math.mul(x, keepMask), keep);
  }

  // ------------------------------------------------------------------ variables and optimisers

  /**
   * Trap: a Variable must go through identity() before batchMatMul or gradients fail on float_ref.
   */
  private Operand<TFloat32> read(Variable<TFloat32> v) {
    return tf.identity(v);
  }

  private Variable<TFloat32> normal(String name, int rows, int cols) {
    if (variables.containsKey(name)) return variables.get(name);
    double std = Math.sqrt(2.0 / (rows + cols));
    Operand<TFloat32> init =
        tf.math.mul(
            tf.random.randomStandardNormal(
                tf.constant(new int[] {rows, cols}),
                TFloat32.class,
                RandomStandardNormal.seed(config.seed()),
                RandomStandardNormal.seed2(seed2++)),
            tf.constant((float) std));
    return register(name, tf.withName(name).variable(init));
  }

  private Variable<TFloat32> zeros(String name, int size) {
    if (variables.containsKey(name)) return variables.get(name);
    return register(
        name, tf.withName(name).variable(tf.zeros(tf.constant(new int[] {size}), TFloat32.class)));
  }

  private Variable<TFloat32> ones(String name, int size) {
    if (variables.containsKey(name)) return variables.get(name);
    return register(
        name, tf.withName(name).variable(tf.ones(tf.constant(new int[] {size}), TFloat32.class)));
  }

  private Variable<TFloat32> register(String name, Variable<TFloat32> v) {
    if (variables.put(name, v) != null)
      throw new IllegalStateException("duplicate variable " + name);
    variableMask.put(
        name, tf.withName("move_" + name).placeholderWithDefault(tf.constant(1f), Shape.scalar()));
    return v;
  }

  private Variable<TFloat32> slot(String name, Operand<TFloat32> init) {
    Variable<TFloat32> v = tf.withName(name).variable(init);
    slots.put(name, v);
    return v;
  }

  /**
   * How far each element of a variable may move in one step: the per-variable switch times the row
   * mask.
   */
  private Operand<TFloat32> moveMask(String name) {
    Operand<TFloat32> m = variableMask.get(name);
    return name.equals(ITEM_EMBEDDING) ? tf.math.mul(itemRowMask, m) : m;
  }

  /**
   * Adam written out in ops (not the fused kernel) so an update can be restricted: masked elements
   * keep their value and their moments (lazy-Adam semantics for untouched embedding rows).
   *
   * <p>With a {@link #weightDecay} w > 0 the step is AdamW's (Loshchilov and Hutter, decoupled):
   * each weight matrix (the embedding tables and dense kernels; not biases or LayerNorm gains) also
   * moves by {@code -lr * w * value}, outside Adam's moments. The item table decays on its item
   * rows only (1..assignedItems): padding and spare rows keep their values.
   */
  private Op buildAdam(List<Operand<TFloat32>> grads) {
    float b1 = 0.9f;
    float b2 = 0.98f; // SASRec uses beta2 = 0.98
    float eps = 1e-8f;
    Variable<TFloat32> step = slot("adam_step", tf.constant(0f));
    Operand<TFloat32> t = tf.math.add(tf.identity(step), tf.constant(1f));
    Operand<TFloat32> correction =
        tf.math.div(
            tf.math.sqrt(tf.math.sub(tf.constant(1f), tf.math.pow(tf.constant(b2), t))),
            tf.math.sub(tf.constant(1f), tf.math.pow(tf.constant(b1), t)));
    Operand<TFloat32> lrT = tf.math.mul(learningRate, correction);
    Operand<TFloat32> decayRate = tf.math.mul(learningRate, weightDecay);
    int n = config.numItems() + 1;
    int[] rowIndex = new int[n];
    for (int r = 0; r < n; r++) rowIndex[r] = r;
    Operand<TFloat32> itemRowsDecay =
        tf.reshape(
            tf.dtypes.cast(
                tf.math.logicalAnd(
                    tf.math.greater(tf.constant(rowIndex), tf.constant(0)),
                    tf.math.lessEqual(tf.constant(rowIndex), assignedItems)),
                TFloat32.class),
            tf.constant(new int[] {n, 1}));

    List<Op> assignOps = new ArrayList<>();
    int i = 0;
    List<Operand<TFloat32>> newValues = new ArrayList<>();
    List<Variable<TFloat32>> targets = new ArrayList<>();
    for (var e : variables.entrySet()) {
      String name = e.getKey();
      Variable<TFloat32> var = e.getValue();
      Operand<TFloat32> g = grads.get(i++);
      // Zeros of the static shape, not zerosLike(var): an initialiser must not read another
      // variable.
      long[] shape = var.shape().asArray();
      Variable<TFloat32> m = slot(name + "_adam_m", tf.zeros(tf.constant(shape), TFloat32.class));
      Variable<TFloat32> v = slot(name + "_adam_v", tf.zeros(tf.constant(shape), TFloat32.class));
      Operand<TFloat32> mOld = tf.identity(m);
      Operand<TFloat32> vOld = tf.identity(v);
      Operand<TFloat32> mNew =
          tf.math.add(tf.math.mul(tf.constant(b1), mOld), tf.math.mul(tf.constant(1 - b1), g));
      Operand<TFloat32> vNew =
          tf.math.add(
              tf.math.mul(tf.constant(b2), vOld),
              tf.math.mul(tf.constant(1 - b2), tf.math.square(g)));
      Operand<TFloat32> delta =
          tf.math.div(tf.math.mul(lrT, mNew), tf.math.add(tf.math.sqrt(vNew), tf.constant(eps)));
      Operand<TFloat32> mask = moveMask(name);
      newValues.add(tf.math.add(mOld, tf.math.mul(mask, tf.math.sub(mNew, mOld))));
      targets.add(m);
      newValues.add(tf.math.add(vOld, tf.math.mul(mask, tf.math.sub(vNew, vOld))));
      targets.add(v);
      Operand<TFloat32> value = tf.identity(var);
      if (shape.length >= 2) {
        Operand<TFloat32> decay = tf.math.mul(decayRate, value);
        if (name.equals(ITEM_EMBEDDING)) decay = tf.math.mul(itemRowsDecay, decay);
        delta = tf.math.add(delta, decay);
      }
      newValues.add(tf.math.sub(value, tf.math.mul(mask, delta)));
      targets.add(var);
    }
    newValues.add(t);
    targets.add(step);
    // Every new value is computed before any variable is overwritten (reads may alias variable
    // buffers).
    Ops after =
        tf.withControlDependencies(newValues.stream().map(o -> (Op) tf.identity(o)).toList());
    for (int j = 0; j < targets.size(); j++) {
      assignOps.add(after.assign(targets.get(j), newValues.get(j)));
    }
    return tf.withName("adam_step_op").withControlDependencies(assignOps).noOp();
  }

  private Op buildSgd(List<Operand<TFloat32>> grads) {
    List<Operand<TFloat32>> newValues = new ArrayList<>();
    List<Variable<TFloat32>> targets = new ArrayList<>();
    int i = 0;
    for (var e : variables.entrySet()) {
      Operand<TFloat32> g = grads.get(i++);
      newValues.add(
          tf.math.sub(
              tf.identity(e.getValue()),
              tf.math.mul(moveMask(e.getKey()), tf.math.mul(learningRate, g))));
      targets.add(e.getValue());
    }
    Ops after =
        tf.withControlDependencies(newValues.stream().map(o -> (Op) tf.identity(o)).toList());
    List<Op> assignOps = new ArrayList<>();
    for (int j = 0; j < targets.size(); j++)
      assignOps.add(after.assign(targets.get(j), newValues.get(j)));
    return tf.withName("sgd_step_op").withControlDependencies(assignOps).noOp();
  }

  private void addAssign(String name, Variable<TFloat32> v) {
    Placeholder<TFloat32> value = tf.withName("set_" + name).placeholder(TFloat32.class);
    assignValue.put(name, value);
    assignOp.put(name, tf.withName("assign_" + name).assign(v, value));
  }
}
