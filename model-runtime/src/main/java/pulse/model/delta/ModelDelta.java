package pulse.model.delta;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import pulse.model.DenseTensor;
import pulse.model.EncoderGraph;
import pulse.model.SasRecModel;
import pulse.model.data.ItemVocabulary;

/**
 * What an online learner publishes after some update steps, so serving replicas that are at {@code
 * baseVersion} reach {@code version}: the current values of the item-embedding rows it touched, the
 * current values of the dense variables it moved, and the items it added to the vocabulary.
 *
 * <p>Only model weights travel: the Adam moments and step counter are the learner's own state and
 * are not needed to serve (a replica never steps; a learner that must survive a restart keeps a
 * {@link Checkpoint} with optimiser state instead).
 *
 * <p>Which rows to send: with {@code UpdateScope.itemRows(rows)} or {@code new
 * UpdateScope.Only(names, rows)} (lazy Adam), exactly the rows given move. With an unrestricted
 * item table ({@code UpdateScope.all()}, or {@code Only} with null rows) Adam keeps moving every
 * row whose moments are non-zero, so send every assigned row (1..assignedItems).
 *
 * <p>The arrays are not copied; treat a delta as immutable once built. {@link #equals} compares
 * contents.
 *
 * @param baseVersion the model version the delta applies to (the caller checks it before {@link
 *     #applyTo})
 * @param version the version a replica is at after applying it
 * @param rows item-embedding rows carried (0..numItems), including every row of {@code newItemIds}
 * @param rowValues their values, row-major [rows.length, d]
 * @param dense current values of whole variables (model weights only, by name), in order
 * @param newItemIds ids appended to the vocabulary by this delta, in index order
 */
public record ModelDelta(
    String baseVersion,
    String version,
    int[] rows,
    float[] rowValues,
    Map<String, DenseTensor> dense,
    List<String> newItemIds) {

  static final byte[] MAGIC = "PDLT".getBytes(StandardCharsets.US_ASCII);

  /** Binary layout version of {@link #toBytes}. */
  public static final int FORMAT_VERSION = 1;

  public ModelDelta {
    if (version == null) throw new IllegalArgumentException("version must be set");
    if (rows == null || rowValues == null || dense == null || newItemIds == null) {
      throw new IllegalArgumentException("rows, rowValues, dense and newItemIds must not be null");
    }
    if (rows.length == 0 ? rowValues.length != 0 : rowValues.length % rows.length != 0) {
      throw new IllegalArgumentException(
          rowValues.length + " row values do not split into " + rows.length + " rows");
    }
    Map<String, DenseTensor> copy = new LinkedHashMap<>();
    for (var e : dense.entrySet()) {
      if (e.getKey() == null || e.getValue() == null)
        throw new IllegalArgumentException("null dense entry");
      copy.put(e.getKey(), e.getValue());
    }
    dense = Collections.unmodifiableMap(copy);
    newItemIds = List.copyOf(newItemIds);
    if (new HashSet<>(newItemIds).size() != newItemIds.size()) {
      throw new IllegalArgumentException("newItemIds has duplicates");
    }
  }

  /**
   * Reads the current values of {@code touchedRows} and of the named variables from {@code m},
   * under the model's monitor, so no update step lands in between (rows and dense variables are one
   * consistent state).
   *
   * @param denseVariableNames model weights ({@code m.variableNames(false)}); Adam slots are
   *     refused
   * @param newItemIds ids the learner appended to its vocabulary since {@code base}, in order;
   *     their rows must be among {@code touchedRows}
   * @throws IllegalArgumentException on a row outside 0..numItems or a name that is not a model
   *     weight
   */
  public static ModelDelta capture(
      SasRecModel m,
      String base,
      String version,
      int[] touchedRows,
      Collection<String> denseVariableNames,
      List<String> newItemIds) {
    List<String> weights = m.variableNames(false);
    for (String name : denseVariableNames) {
      if (!weights.contains(name)) {
        throw new IllegalArgumentException(
            "'"
                + name
                + "' is not a model weight variable (deltas carry "
                + "weights only, not optimiser slots): known "
                + weights);
      }
    }
    int[] rows = touchedRows.clone();
    synchronized (m) {
      float[] values = m.readItemRows(rows);
      Map<String, DenseTensor> dense = new LinkedHashMap<>();
      for (String name : denseVariableNames) dense.put(name, m.readVariable(name));
      return new ModelDelta(base, version, rows, values, dense, newItemIds);
    }
  }

  /** Width of the carried rows (the model's d), 0 when no row is carried. */
  public int dim() {
    return rows.length == 0 ? 0 : rowValues.length / rows.length;
  }

  /** True when every carried value is finite (no NaN or infinity from a diverged step). */
  public boolean allFinite() {
    if (!finite(rowValues)) return false;
    for (DenseTensor t : dense.values()) {
      if (!finite(t.values())) return false;
    }
    return true;
  }

  /**
   * Applies the delta to a replica at {@code baseVersion}: checks everything first (row width = d,
   * rows within the table, every dense name a model weight of the same shape, all values finite,
   * room in the vocabulary, a row carried for every new item), so a refused delta changes nothing.
   * Then writes the dense variables and the rows, appends the new ids to {@code targetVocab} and
   * raises the model's assigned items to cover them, in that order (inference never sees a new id
   * before its row). A new id the vocabulary already has (a vocabulary shared with the learner, or
   * a delta applied twice) keeps its index, whose row must be carried.
   *
   * <p>Holds the model's monitor, then the vocabulary's, for the whole call.
   *
   * @throws IllegalArgumentException if the delta does not fit the model or vocabulary (nothing
   *     changed)
   */
  public void applyTo(SasRecModel target, ItemVocabulary targetVocab) {
    synchronized (target) {
      synchronized (targetVocab) {
        int[] newIndex = validate(target, targetVocab);
        for (var e : dense.entrySet()) target.writeVariable(e.getKey(), e.getValue());
        target.writeItemRows(rows, rowValues);
        int highest = 0;
        for (int i = 0; i < newItemIds.size(); i++) {
          int got = targetVocab.add(newItemIds.get(i));
          if (got != newIndex[i]) {
            throw new IllegalStateException(
                "item " + newItemIds.get(i) + " got index " + got + ", expected " + newIndex[i]);
          }
          highest = Math.max(highest, got);
        }
        if (highest > target.assignedItems()) target.setAssignedItems(highest);
      }
    }
  }

  /**
   * @return the index each new item will have in targetVocab
   */
  private int[] validate(SasRecModel target, ItemVocabulary vocab) {
    int d = target.config().dim();
    int capacity = target.config().numItems();
    if (rows.length > 0 && dim() != d) {
      throw new IllegalArgumentException(
          "delta " + version + " carries rows of width " + dim() + " but the model's d is " + d);
    }
    for (int row : rows) {
      if (row < 0 || row > capacity) {
        throw new IllegalArgumentException(
            "delta " + version + " carries item row " + row + " outside 0.." + capacity);
      }
    }
    List<String> weights = target.variableNames(false);
    for (var e : dense.entrySet()) {
      if (!weights.contains(e.getKey())) {
        throw new IllegalArgumentException(
            "delta "
                + version
                + " carries unknown variable '"
                + e.getKey()
                + "' (model weights: "
                + weights
                + ")");
      }
      long[] shape = target.variableShape(e.getKey());
      if (!Arrays.equals(shape, e.getValue().shape())) {
        throw new IllegalArgumentException(
            "delta "
                + version
                + ": variable "
                + e.getKey()
                + " has shape "
                + Arrays.toString(e.getValue().shape())
                + ", the model's is "
                + Arrays.toString(shape));
      }
    }
    if (!allFinite())
      throw new IllegalArgumentException("delta " + version + " has non-finite values");
    Set<Integer> carried = new HashSet<>();
    for (int row : rows) carried.add(row);
    int[] index = new int[newItemIds.size()];
    int next = vocab.size();
    int room = Math.min(vocab.capacity(), capacity);
    for (int i = 0; i < index.length; i++) {
      String id = newItemIds.get(i);
      int existing =
          vocab.contains(id) ? vocab.indexOf(id) : -1; // indexOf of an open vocabulary would add
      if (existing > 0) {
        index[i] = existing;
      } else {
        if (next >= room) {
          throw new IllegalArgumentException(
              "delta "
                  + version
                  + " adds "
                  + newItemIds.size()
                  + " items but the vocabulary has room for "
                  + (room - vocab.size())
                  + " more (capacity "
                  + room
                  + ")");
        }
        index[i] = ++next;
      }
      if (!carried.contains(index[i])) {
        throw new IllegalArgumentException(
            "delta "
                + version
                + " adds item '"
                + id
                + "' at row "
                + index[i]
                + " but carries no values for that row");
      }
    }
    return index;
  }

  /** Exact length of {@link #toBytes()}. */
  public long sizeBytes() {
    long n =
        Binary.HEADER
            + Binary.stringSize(baseVersion)
            + Binary.stringSize(version)
            + 4
            + 4
            + 4L * rows.length
            + 4L * rowValues.length
            + 4;
    for (var e : dense.entrySet()) n += Binary.tensorSize(e.getKey(), e.getValue());
    n += 4;
    for (String id : newItemIds) n += Binary.stringSize(id);
    return n + Binary.TRAILER;
  }

  /**
   * Layout (little-endian): "PDLT", int format version (1), baseVersion, version (int length +
   * UTF-8, -1 = null), int d, int row count, rows (int each), row values (float each), int dense
   * count, per variable: name, int rank, long dims, float values; int new-item count, ids; CRC32 of
   * all preceding bytes.
   */
  public byte[] toBytes() {
    Binary.Writer w = new Binary.Writer(sizeBytes(), MAGIC, FORMAT_VERSION, "delta");
    w.string(baseVersion).string(version).i32(dim()).i32(rows.length).ints(rows).floats(rowValues);
    w.i32(dense.size());
    for (var e : dense.entrySet()) w.tensor(e.getKey(), e.getValue());
    w.i32(newItemIds.size());
    for (String id : newItemIds) w.string(id);
    return w.finish();
  }

  /**
   * @throws DeltaFormatException for a damaged (CRC), truncated, foreign or newer-format blob
   */
  public static ModelDelta fromBytes(byte[] data) {
    Binary.Reader r = new Binary.Reader(data, MAGIC, FORMAT_VERSION, "model delta");
    String base = r.string();
    String version = r.string();
    int d = r.i32();
    int n = r.count(4);
    if (d < 0 || (n > 0 && d == 0))
      throw new DeltaFormatException("model delta is malformed: row width " + d);
    int[] rows = r.ints(n);
    float[] values = r.floats((long) n * d);
    int denseCount = r.count(4);
    Map<String, DenseTensor> dense = new LinkedHashMap<>();
    for (int i = 0; i < denseCount; i++) {
      String name = r.string();
      dense.put(name, r.tensor(name));
    }
    int idCount = r.count(4);
    List<String> ids = new ArrayList<>(idCount);
    for (int i = 0; i < idCount; i++) ids.add(r.string());
    r.end();
    try {
      return new ModelDelta(base, version, rows, values, dense, ids);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new DeltaFormatException("model delta is malformed: " + e.getMessage(), e);
    }
  }

  private static boolean finite(float[] v) {
    for (float x : v) {
      if (!Float.isFinite(x)) return false;
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ModelDelta other)) return false;
    if (!Objects.equals(baseVersion, other.baseVersion)
        || !version.equals(other.version)
        || !Arrays.equals(rows, other.rows)
        || !Arrays.equals(rowValues, other.rowValues)
        || !newItemIds.equals(other.newItemIds)
        || !dense.keySet().equals(other.dense.keySet())) {
      return false;
    }
    for (var e : dense.entrySet()) {
      DenseTensor t = other.dense.get(e.getKey());
      if (!Arrays.equals(e.getValue().shape(), t.shape())
          || !Arrays.equals(e.getValue().values(), t.values())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Objects.hash(baseVersion, version, Arrays.hashCode(rows), dense.keySet(), newItemIds);
  }

  @Override
  public String toString() {
    return "ModelDelta["
        + baseVersion
        + " -> "
        + version
        + ", "
        + rows.length
        + " rows x "
        + dim()
        + ", dense "
        + dense.keySet()
        + ", new items "
        + newItemIds.size()
        + "]";
  }

  /**
   * Names of the model's weights, for a delta after an unrestricted step (everything but the item
   * table).
   */
  public static List<String> denseWeights(SasRecModel m) {
    List<String> names = new ArrayList<>(m.variableNames(false));
    names.remove(EncoderGraph.ITEM_EMBEDDING);
    return names;
  }
}
