package pulse.engine.inference;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import pulse.engine.catalog.CatalogIndex;
import pulse.engine.event.Interaction;
import pulse.model.SasRecModel;
import pulse.model.SequenceInput;
import pulse.model.data.GapBuckets;
import pulse.model.data.ItemVocabulary;
import pulse.model.delta.ModelDelta;
import pulse.model.export.ModelDirectory;

/**
 * One loaded model version as the pool serves it: the encoder, the item-id mapping that came with
 * it (the manifest's), and the catalog filters translated into that mapping's indices.
 *
 * <p>A batch is computed with exactly one ServingModel, chosen when it leaves the queue, so a
 * request never mixes versions. A swapped-out model is closed when its last batch in flight
 * finishes ({@link #retire()}).
 */
public final class ServingModel {
  private volatile String version;
  private final Path dir;
  private final SasRecModel model;
  private final ItemVocabulary items;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final long variableBytes;
  private volatile boolean retired;
  private volatile boolean closed;
  // Catalog filters in this model's indices, rebuilt when the catalog index changes (its
  // generation).
  private volatile Filters filters = new Filters(-1, new int[0], new ConcurrentHashMap<>());

  private record Filters(long generation, int[] unavailable, Map<String, int[]> byCategory) {}

  public ServingModel(String version, Path dir, SasRecModel model, ItemVocabulary items) {
    this.version = version;
    this.dir = dir;
    this.model = model;
    this.items = items;
    // Writes row 1 (ModelConfig requires one at least) back as it is: TensorFlow prepares the
    // row-write path now,
    // not when the first delta waits.
    int[] one = {1};
    model.writeItemRows(one, model.readItemRows(one));
    this.variableBytes = variableBytes(model);
  }

  /** Every variable's float32 values, optimizer slots included: what holding the model costs. */
  private static long variableBytes(SasRecModel model) {
    long bytes = 0;
    for (String name : model.variableNames(true)) {
      long n = 1;
      for (long d : model.variableShape(name)) {
        n *= d;
      }
      bytes += 4 * n;
    }
    return bytes;
  }

  /**
   * The bytes of this model's variables (weights and optimizer slots, float32): the memory a pinned
   * version costs beside the current one, graph and TensorFlow buffers aside.
   */
  public long variableBytes() {
    return variableBytes;
  }

  public static ServingModel of(Path dir, ModelDirectory.Loaded loaded) {
    return new ServingModel(loaded.manifest().modelVersion(), dir, loaded.model(), loaded.items());
  }

  public String version() {
    return version;
  }

  /**
   * Runs the encoder a few times on a one-item history, in batches of 1 and {@code maxBatch}: a
   * model's first calls pay for TensorFlow's lazy set-up (hundreds of ms), which a version served
   * beside a warm one (a canary) must not be judged on. Blocking; call it before serving.
   */
  public void warmUp(int maxBatch) {
    SequenceInput one = new SequenceInput(new int[] {1}, null, null, null);
    if (model.config().gapBuckets() > 0) {
      one = new SequenceInput(new int[] {1}, null, new int[] {0}, null);
    }
    for (int size : new int[] {1, Math.max(1, maxBatch), 1, Math.max(1, maxBatch)}) {
      List<pulse.model.RecommendRequest> batch = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        batch.add(new pulse.model.RecommendRequest(one, new int[0], null));
      }
      model.recommend(batch, 10);
    }
  }

  public Path dir() {
    return dir;
  }

  public SasRecModel model() {
    return model;
  }

  public String itemId(int index) {
    return items.externalId(index);
  }

  /** The model index of an item, or 0 when this version does not know it. */
  public int indexOf(String itemId) {
    int i = items.indexOf(itemId);
    return Math.max(i, 0);
  }

  /**
   * The model input for a history (oldest first): items this version does not know are skipped, the
   * last {@code maxLen} known ones kept (repeats of the same item in a row collapsed into one), the
   * time-gap side input fed when the model was trained with it.
   */
  public SequenceInput input(List<Interaction> history) {
    int maxLen = model.config().maxLen();
    int[] idx = new int[Math.min(history.size(), maxLen)];
    long[] seconds = new long[idx.length];
    int n = 0;
    int later = 0;
    for (int i = history.size() - 1; i >= 0 && n < idx.length; i--) {
      Interaction it = history.get(i);
      int index = it.itemId() == null ? 0 : indexOf(it.itemId());
      // A click, view and cart of one item in a row are one step of the journey (as the training
      // data has them).
      if (index > 0 && index != later) {
        later = index;
        idx[idx.length - 1 - n] = index;
        seconds[idx.length - 1 - n] = it.timestamp() / 1000;
        n++;
      }
    }
    int[] items = Arrays.copyOfRange(idx, idx.length - n, idx.length);
    int[] gaps = null;
    if (model.config().gapBuckets() > 0) {
      gaps = GapBuckets.of(Arrays.copyOfRange(seconds, seconds.length - n, seconds.length));
    }
    return new SequenceInput(items, null, gaps, null);
  }

  /** Model indices of the given items (unknown ones left out). */
  public int[] indices(Collection<String> itemIds) {
    int[] out = new int[itemIds.size()];
    int n = 0;
    for (String id : itemIds) {
      int i = indexOf(id);
      if (i > 0) {
        out[n++] = i;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** Indices of the catalog's unavailable items (cached per catalog generation). */
  public int[] unavailable(CatalogIndex catalog) {
    return filtersFor(catalog).unavailable();
  }

  /** Indices of the items in a category (cached per catalog generation and category). */
  public int[] inCategory(CatalogIndex catalog, String category) {
    return filtersFor(catalog)
        .byCategory()
        .computeIfAbsent(category, c -> indices(new ArrayList<>(catalog.itemsIn(c))));
  }

  private Filters filtersFor(CatalogIndex catalog) {
    Filters f = filters;
    long generation = catalog.generation();
    if (f.generation() != generation) {
      // Read the generation first: a change during the copy makes the next call rebuild again,
      // never miss it.
      f =
          new Filters(
              generation,
              indices(new ArrayList<>(catalog.unavailable())),
              new ConcurrentHashMap<>());
      filters = f;
    }
    return f;
  }

  /**
   * Applies an online-learning delta in place: new rows, new items, new dense weights, the new
   * version. The pool calls it only while no batch runs on this model, so no request sees half a
   * delta.
   */
  void applyDelta(ModelDelta delta) {
    if (inFlight.get() != 0) {
      throw new IllegalStateException("a delta must not be applied while batches run on the model");
    }
    if (!delta.baseVersion().equals(version)) {
      throw new IllegalArgumentException(
          "delta "
              + delta.version()
              + " is based on "
              + delta.baseVersion()
              + ", this model is "
              + version);
    }
    delta.applyTo(model, items);
    version = delta.version();
    filters =
        new Filters(-1, new int[0], new ConcurrentHashMap<>()); // new items may now have indices
  }

  int inFlight() {
    return inFlight.get();
  }

  /**
   * A batch starts using this model; false when it was already closed (the caller picks the current
   * one).
   */
  boolean acquire() {
    inFlight.incrementAndGet();
    if (closed) {
      inFlight.decrementAndGet();
      return false;
    }
    return true;
  }

  void release() {
    if (inFlight.decrementAndGet() == 0 && retired) {
      closeNow();
    }
  }

  /** No new batch will use this model; it closes once the batches in flight are done. */
  void retire() {
    retired = true;
    if (inFlight.get() == 0) {
      closeNow();
    }
  }

  private synchronized void closeNow() {
    if (!closed && inFlight.get() == 0) {
      closed = true;
      model.close();
    }
  }

  public boolean isClosed() {
    return closed;
  }
}
