package pulse.engine.learning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import pulse.engine.feedback.FeedRecord;
import pulse.engine.versions.VersionName;
import pulse.model.Padding;
import pulse.model.RecommendRequest;
import pulse.model.Recommendations;
import pulse.model.SasRecModel;
import pulse.model.SequenceInput;
import pulse.model.TrainingBatch;
import pulse.model.UpdateScope;
import pulse.model.data.ItemVocabulary;
import pulse.model.delta.ModelDelta;

/**
 * The online learner's logic, without actors or storage: feedback records in, one new model version
 * (or a verdict against one) out. Test-then-train: every example is first ranked by the current
 * model (the prequential window), then learned from with one incremental step over the whole
 * mini-batch.
 *
 * <p>Items the model has never seen get an embedding row from the spare rows, initialised to the
 * mean of the known items sharing a category with them (the global mean when none does), so they
 * are recommendable at once.
 *
 * <p>Not thread-safe: the learner actor owns it.
 */
public final class LearnerCore {

  /** What one step produced. */
  public sealed interface Step {}

  /** No example in these records (impressions, first interactions): nothing learned, no version. */
  public record Idle() implements Step {}

  /**
   * A new version. {@code checkpoint}: this one is to be stored whole. {@code oldestAcceptedAt}:
   * when the node accepted the oldest event learned in it.
   */
  public record NewVersion(
      long seq,
      String version,
      String baseVersion,
      ModelDelta delta,
      boolean checkpoint,
      WindowMetrics metrics,
      int examples,
      float loss,
      Map<Integer, Long> offsets,
      long oldestAcceptedAt)
      implements Step {}

  /** The guardrail refused: roll back to the last good checkpoint and stop learning. */
  public record Rejected(String reason, WindowMetrics metrics) implements Step {}

  /**
   * Told each scored example's rank: for pairing two runs over one stream example by example (bench
   * learner).
   */
  @FunctionalInterface
  public interface ScoreListener {
    /**
     * @param ordinal the example's place in the stream, from 0 (a reset does not rewind it)
     * @param rank 1-based rank of its true item, {@link Integer#MAX_VALUE} when outside the top 10
     */
    void scored(long ordinal, int rank);
  }

  private final LearnerSettings settings;
  private final Guardrail guardrail;
  private final Random random;
  private final String lineage;
  private SasRecModel model;
  private ItemVocabulary items;
  private ExampleStream examples;
  private PrequentialWindow window;
  // Every example scored since this core was made; unlike the window, a rollback (reset) does not
  // clear it.
  private final PrequentialTotals totals = new PrequentialTotals();
  private String version;
  private long seq;
  private int sinceCheckpoint;
  // Learning only: the last good version (the newest checkpoint), ranking the same examples as the
  // learning model,
  // so the guardrail compares two models on one set of examples: windows of different examples
  // differ by 20% and
  // more in NDCG@10 on MovieLens with no model change at all, which a relative margin would take
  // for a regression.
  private SasRecModel reference;
  private PrequentialWindow sinceGood;
  private PrequentialWindow referenceSinceGood;
  private final Map<Integer, Long> offsets = new HashMap<>();
  private final List<String> newItems = new ArrayList<>();
  private final Map<String, Set<String>> itemsByCategory = new HashMap<>();
  private long ordinal;
  private ScoreListener scoreListener = (example, rank) -> {};

  /**
   * @param version the loaded version; @param seq its sequence number in the store; @param offsets
   *     the next feedback offset per partition that version covers
   */
  public LearnerCore(
      LearnerSettings settings,
      SasRecModel model,
      ItemVocabulary items,
      String version,
      long seq,
      Map<Integer, Long> offsets,
      long randomSeed) {
    this.settings = settings;
    this.guardrail =
        new Guardrail(settings.margin(), settings.relativeMargin(), settings.minExamples());
    this.random = new Random(randomSeed);
    this.lineage = VersionName.parse(version).lineage();
    reset(model, items, version, seq, offsets);
  }

  /**
   * Starts over from a loaded version (start, rollback): fresh example state and prequential
   * window.
   */
  public void reset(
      SasRecModel model,
      ItemVocabulary items,
      String version,
      long seq,
      Map<Integer, Long> offsets) {
    this.model = model;
    this.items = items;
    this.version = version;
    this.seq = seq;
    this.offsets.clear();
    this.offsets.putAll(offsets);
    this.examples = new ExampleStream(settings.examples().forModel(model.config().maxLen()));
    this.window = new PrequentialWindow(settings.window());
    this.sinceCheckpoint = 0;
    this.newItems.clear();
    if (settings.learns()) {
      takeReference();
    }
  }

  /** The model as it is now becomes the last good version the guardrail compares with. */
  private void takeReference() {
    if (reference != null && !reference.config().equals(model.config())) {
      reference.close();
      reference = null;
    }
    if (reference == null) {
      reference = SasRecModel.create(model.config(), 1);
    }
    reference.load(model.snapshot());
    reference.setAssignedItems(model.assignedItems());
    // The guardrail compares like with like: the served model adds its transition bonus, so does
    // the reference.
    reference.setTransitionBlend(model.transitionBlend());
    sinceGood = new PrequentialWindow(settings.window());
    referenceSinceGood = new PrequentialWindow(settings.window());
  }

  /**
   * Releases the guardrail's copy of the last good version (the learning model belongs to the
   * caller).
   */
  public void close() {
    if (reference != null) {
      reference.close();
      reference = null;
    }
  }

  /**
   * The last good version's and the learning model's NDCG@10 on the same examples since that
   * version.
   */
  public WindowMetrics[] guardrailWindows() {
    return reference == null
        ? new WindowMetrics[0]
        : new WindowMetrics[] {referenceSinceGood.snapshot(), sinceGood.snapshot()};
  }

  public String version() {
    return version;
  }

  public long seq() {
    return seq;
  }

  /**
   * Takes the next sequence number for a version stored beside the learner's own (a candidate): the
   * next learned version comes after it.
   */
  public long reserveSeq() {
    return ++seq;
  }

  public SasRecModel model() {
    return model;
  }

  public ItemVocabulary items() {
    return items;
  }

  public Map<Integer, Long> offsets() {
    return Map.copyOf(offsets);
  }

  public WindowMetrics window() {
    return window.snapshot();
  }

  /**
   * Prequential HR@10/NDCG@10 over every example scored since this learner started (rollbacks
   * included).
   */
  public WindowMetrics cumulative() {
    return totals.snapshot();
  }

  public void onScored(ScoreListener listener) {
    this.scoreListener = listener;
  }

  public long examplesSeen() {
    return examples.examples();
  }

  /**
   * Whether this learner holds the user's history (false after a start, a rollback or an eviction).
   */
  public boolean knowsUser(String userId) {
    return examples.knows(userId);
  }

  /** Forgets a user (DELETE /v1/users/{id}): its history leaves the learner's memory. */
  public boolean forgetUser(String userId) {
    return examples.forget(userId);
  }

  /**
   * Gives an unknown user the history rebuilt from the user's own state, oldest first (see {@link
   * ExampleStream#seed}).
   */
  public void seedHistory(String userId, List<String> items) {
    examples.seed(userId, items);
  }

  /**
   * Runs scoring and update steps on made-up examples, captures their delta, and puts every
   * variable (weights and optimiser state) back as it was. TensorFlow prepares each graph path, and
   * its kernels each input size, on first use, which takes several times a step; paid here, before
   * the stream starts, it is kept out of the first versions' update latency. The sizes: a small and
   * a full mini-batch ({@code batch}, the configured batch size), each with the shortest and the
   * longest histories scoring and updates take, as a stream's first seconds bring both (a backlog
   * arrives as full batches of users with little history yet). Afterwards the model scores exactly
   * as before.
   */
  public void warmUp(int batch) {
    int small = Math.max(1, Math.min(batch, settings.batchSize()));
    int longest =
        Padding.fittedLength(
            settings.examples().forModel(model.config().maxLen()).maxHistory(),
            model.config().maxLen());
    Random random =
        new Random(small); // its own: the learner's negative sampling must not depend on warming up
    var saved = model.snapshot();
    try {
      for (int n : new int[] {small, settings.batchSize()}) {
        for (int length : new int[] {Math.min(Padding.LENGTH_STEP, longest), longest}) {
          warmOnce(n, length, random);
        }
      }
    } finally {
      model.load(saved);
    }
  }

  private void warmOnce(int n, int length, Random random) {
    int known = Math.max(1, model.assignedItems());
    int k = model.config().negatives();
    List<int[]> histories = new ArrayList<>(n);
    int[] positives = new int[n];
    int[] negatives = new int[n * k];
    List<RecommendRequest> requests = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int[] history = random.ints(length, 1, known + 1).toArray();
      histories.add(history);
      requests.add(new RecommendRequest(SequenceInput.of(history), history, null));
      positives[i] = 1 + random.nextInt(known);
      for (int j = 0; j < k; j++) {
        negatives[i * k + j] = 1 + random.nextInt(known);
      }
    }
    model.recommend(requests, PrequentialWindow.CUTOFF);
    if (reference != null) {
      reference.recommend(requests, PrequentialWindow.CUTOFF);
    }
    int[] rows = update(histories, positives, negatives).rows();
    ModelDelta.capture(
        model,
        version,
        version + ".warm-up",
        rows,
        settings.everything() ? ModelDelta.denseWeights(model) : List.of(),
        List.of());
  }

  public Step step(List<FeedRecord> records) {
    List<Example> batch = new ArrayList<>();
    long oldest = Long.MAX_VALUE;
    for (FeedRecord r : records) {
      offsets.merge(r.partition(), r.offset() + 1, Math::max);
      remember(r);
      var ex = examples.accept(r.event());
      if (ex.isPresent()) {
        batch.add(ex.get());
        oldest = Math.min(oldest, r.acceptedAt());
      }
    }
    if (batch.isEmpty()) {
      return new Idle();
    }
    List<int[]> histories = new ArrayList<>(batch.size());
    int[] positives = new int[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      Example e = batch.get(i);
      histories.add(e.historyBefore().stream().mapToInt(this::rowOf).filter(x -> x > 0).toArray());
      positives[i] = rowOf(e.positiveItem());
    }
    score(histories, positives, ordinal);
    ordinal += batch.size();
    if (!settings.learns()) {
      return new Idle();
    }
    return learn(batch, histories, positives, oldest);
  }

  /**
   * Test: the rank of each positive among all items (history excluded), before learning from it. A
   * positive the model has no row for (frozen: an item newer than the model; learning: no spare row
   * left) is a miss, since the model could not have recommended it; an example with no known
   * history item is not scored.
   */
  private void score(List<int[]> histories, int[] positives, long firstOrdinal) {
    List<RecommendRequest> requests = new ArrayList<>();
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < positives.length; i++) {
      if (histories.get(i).length > 0 && positives[i] > 0) {
        requests.add(
            new RecommendRequest(SequenceInput.of(histories.get(i)), histories.get(i), null));
        rows.add(i);
      } else if (histories.get(i).length > 0) {
        scoreListener.scored(firstOrdinal + i, Integer.MAX_VALUE);
        window.record(Integer.MAX_VALUE);
        totals.record(Integer.MAX_VALUE);
        if (reference != null) {
          sinceGood.record(Integer.MAX_VALUE);
          referenceSinceGood.record(Integer.MAX_VALUE);
        }
      }
    }
    if (requests.isEmpty()) {
      return;
    }
    List<Recommendations> top = model.recommend(requests, PrequentialWindow.CUTOFF);
    List<Recommendations> referenceTop =
        reference == null ? null : reference.recommend(requests, PrequentialWindow.CUTOFF);
    for (int j = 0; j < top.size(); j++) {
      int target = positives[rows.get(j)];
      int rank = rankOf(target, top.get(j));
      scoreListener.scored(firstOrdinal + rows.get(j), rank);
      window.record(rank);
      totals.record(rank);
      if (referenceTop != null) {
        sinceGood.record(rank);
        referenceSinceGood.record(rankOf(target, referenceTop.get(j)));
      }
    }
  }

  private static int rankOf(int target, Recommendations top) {
    int[] got = top.items();
    for (int r = 0; r < got.length; r++) {
      if (got[r] == target) {
        return r + 1;
      }
    }
    return Integer.MAX_VALUE;
  }

  private Step learn(List<Example> batch, List<int[]> histories, int[] positives, long oldest) {
    int k = model.config().negatives();
    int b = batch.size();
    int[] negatives = new int[b * k];
    for (int i = 0; i < b; i++) {
      if (histories.get(i).length == 0 || positives[i] <= 0) {
        continue; // no input to learn from (unknown items and no room for them): update() leaves
        // the row out
      }
      List<String> shown = batch.get(i).negatives();
      for (int n = 0; n < k; n++) {
        int negative = n < shown.size() ? indexOrAdd(shown.get(n)) : 0;
        if (negative <= 0 || negative == positives[i]) {
          negative = 1 + random.nextInt(Math.max(1, model.assignedItems()));
        }
        negatives[i * k + n] = negative;
      }
    }
    Update update = update(histories, positives, negatives);
    int[] rows = update.rows();
    float loss = update.loss();
    long nextSeq = seq + 1;
    String next = VersionName.learned(lineage, nextSeq).toString();
    List<String> dense = settings.everything() ? ModelDelta.denseWeights(model) : List.of();
    ModelDelta delta = ModelDelta.capture(model, version, next, rows, dense, List.copyOf(newItems));
    WindowMetrics metrics = window.snapshot();
    Verdict verdict =
        guardrail.judge(
            referenceSinceGood.snapshot(),
            sinceGood.snapshot(),
            delta.allFinite() && Float.isFinite(loss));
    if (verdict instanceof Verdict.Reject reject) {
      return new Rejected(reject.reason(), metrics);
    }
    newItems.clear();
    String base = version;
    version = next;
    seq = nextSeq;
    boolean checkpoint = ++sinceCheckpoint >= settings.checkpointEvery();
    if (checkpoint) {
      sinceCheckpoint = 0;
      takeReference(); // the bar later versions are judged against
    }
    return new NewVersion(
        seq, version, base, delta, checkpoint, metrics, b, loss, Map.copyOf(offsets), oldest);
  }

  /** The item rows an update step may have moved, and the batch's loss before it. */
  private record Update(int[] rows, float loss) {}

  /**
   * One optimiser step on next-item examples, at the learning rate for its number of examples (see
   * {@link LearnerSettings#stepLearningRate}): row i is the newest {@code update-history} items of
   * histories[i] (scoring sees them all), left-padded to the longest such row here, not the model's
   * maxLen, so the step costs what the histories need (the last item still takes position maxLen-1
   * as in serving), with one target, positives[i], against negatives[i*K..]. A row with no history
   * or no positive stays padding with no target.
   */
  private Update update(List<int[]> histories, int[] positives, int[] negatives) {
    int b = histories.size();
    int k = model.config().negatives();
    int most = settings.updateHistory();
    int length =
        Padding.fittedLength(
            histories.stream().mapToInt(h -> Math.min(h.length, most)).max().orElse(1),
            model.config().maxLen());
    int[] seqs = new int[b * length];
    int[] pos = new int[b];
    int[] neg = new int[b * k];
    Arrays.fill(neg, 1);
    Set<Integer> touched = new LinkedHashSet<>();
    int examples = 0;
    for (int i = 0; i < b; i++) {
      int[] h = histories.get(i);
      if (h.length == 0 || positives[i] <= 0) {
        continue;
      }
      examples++;
      if (h.length > most) {
        h = Arrays.copyOfRange(h, h.length - most, h.length);
      }
      Padding.leftPadInto(h, seqs, i * length, length, Integer.MAX_VALUE);
      for (int p = Math.max(0, h.length - length); p < h.length; p++) {
        touched.add(h[p]);
      }
      pos[i] = positives[i];
      touched.add(positives[i]);
      for (int n = 0; n < k; n++) {
        neg[i * k + n] = negatives[i * k + n];
        touched.add(negatives[i * k + n]);
      }
    }
    touched.remove(0);
    // Adam keeps moving every row with momentum when everything may move: then every assigned row
    // changed.
    int[] rows =
        settings.everything()
            ? IntStream.rangeClosed(1, model.assignedItems()).toArray()
            : touched.stream().mapToInt(Integer::intValue).toArray();
    UpdateScope scope = settings.everything() ? UpdateScope.all() : UpdateScope.itemRows(rows);
    float loss =
        model.updateStep(
            new TrainingBatch(b, length, k, seqs, pos, neg),
            scope,
            settings.optimizer(),
            (float) settings.stepLearningRate(examples));
    return new Update(rows, loss);
  }

  private void remember(FeedRecord r) {
    String item = r.event().itemId();
    if (item == null) {
      return;
    }
    for (String c : r.categories()) {
      Set<String> members = itemsByCategory.computeIfAbsent(c, x -> new LinkedHashSet<>());
      if (members.size() < 1000) {
        members.add(item);
      }
    }
  }

  /**
   * The item's row; 0 for an item the model does not know. Learning adds unknown items (see {@link
   * #indexOrAdd}); frozen, the model stays exactly as loaded, so an item newer than the model stays
   * unknown, as it is to the nodes that serve that model.
   */
  private int rowOf(String itemId) {
    return settings.learns() ? indexOrAdd(itemId) : Math.max(0, items.indexOf(itemId));
  }

  /**
   * The item's row, adding the item (row initialised from its category's items) when there is room;
   * else 0.
   */
  private int indexOrAdd(String itemId) {
    int i = items.indexOf(itemId);
    if (i > 0) {
      return i;
    }
    if (items.size() >= model.config().numItems()) {
      return 0; // no spare row left: the item waits for the next full training
    }
    List<Integer> peers = new ArrayList<>();
    for (Set<String> members : itemsByCategory.values()) {
      if (members.contains(itemId)) {
        for (String m : members) {
          int p = items.indexOf(m);
          if (p > 0) {
            peers.add(p);
          }
        }
      }
    }
    float[] init = model.meanItemRow(peers.stream().mapToInt(Integer::intValue).toArray());
    int row;
    synchronized (model) {
      row = items.add(itemId);
      model.initItemRows(new int[] {row}, init);
      model.setAssignedItems(Math.max(model.assignedItems(), row));
    }
    newItems.add(itemId);
    return row;
  }
}
