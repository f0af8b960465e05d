package pulse.model.delta;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pulse.model.DenseTensor;
import pulse.model.Device;
import pulse.model.ModelConfig;
import pulse.model.SasRecModel;
import pulse.model.data.ItemVocabulary;
import pulse.model.export.JsonCodec;

/**
 * A whole model as one byte array (what the engine stores, chunked, next to its deltas): the config
 * in the manifest's map form (JSON), the version, the assigned item count, the vocabulary, and
 * every model weight, optionally with the Adam state (moments and step counter: what a learner
 * needs to carry on exactly where it stopped; a serving replica does not need it).
 *
 * <p>Layout (little-endian): "PCKP", int format version (1), version, config JSON (int length +
 * UTF-8), int assignedItems, int id count, ids, byte 1 if optimiser state is included, int variable
 * count, per variable: name, int rank, long dims, float values; CRC32 of all preceding bytes.
 */
public final class Checkpoint {
  static final byte[] MAGIC = "PCKP".getBytes(StandardCharsets.US_ASCII);

  /** Binary layout version of {@link #toBytes}. */
  public static final int FORMAT_VERSION = 1;

  private Checkpoint() {}

  /** A model restored from a checkpoint; closing it closes the model. */
  public record Loaded(SasRecModel model, ItemVocabulary items, String version)
      implements AutoCloseable {
    @Override
    public void close() {
      model.close();
    }
  }

  /** Model weights only (enough to serve). */
  public static byte[] toBytes(SasRecModel m, ItemVocabulary v, String version) {
    return toBytes(m, v, version, false);
  }

  /**
   * Reads every variable under the model's monitor (one consistent state; no update step in
   * between).
   *
   * @param includeOptimizerState also the Adam moments and step counter (about 3x the size)
   * @throws IllegalArgumentException if the vocabulary has more ids than the model has item rows
   */
  public static byte[] toBytes(
      SasRecModel m, ItemVocabulary v, String version, boolean includeOptimizerState) {
    if (v.size() > m.config().numItems()) {
      throw new IllegalArgumentException(
          "vocabulary has "
              + v.size()
              + " items, more than the model's "
              + m.config().numItems()
              + " item rows");
    }
    String config = JsonCodec.write(m.config().toMap());
    List<String> ids = v.externalIds();
    Map<String, DenseTensor> vars = new LinkedHashMap<>();
    int assigned;
    synchronized (m) {
      assigned = m.assignedItems();
      for (String name : m.variableNames(includeOptimizerState))
        vars.put(name, m.readVariable(name));
    }
    long size =
        Binary.HEADER
            + Binary.stringSize(version)
            + Binary.stringSize(config)
            + 4
            + 4
            + 1
            + 4
            + Binary.TRAILER;
    for (String id : ids) size += Binary.stringSize(id);
    for (var e : vars.entrySet()) size += Binary.tensorSize(e.getKey(), e.getValue());
    Binary.Writer w = new Binary.Writer(size, MAGIC, FORMAT_VERSION, "checkpoint");
    w.string(version).string(config).i32(assigned).i32(ids.size());
    for (String id : ids) w.string(id);
    w.u8(includeOptimizerState ? 1 : 0).i32(vars.size());
    for (var e : vars.entrySet()) w.tensor(e.getKey(), e.getValue());
    return w.finish();
  }

  /**
   * Rebuilds the graph from the stored config, then writes every stored variable into it. Without
   * optimiser state the Adam moments start at zero (as in a fresh model).
   *
   * @param threads TF threads (0 = default)
   * @param device placement override (null = as stored)
   * @throws DeltaFormatException for a damaged, truncated or foreign blob, or one whose variables
   *     do not match its config (missing weight, unknown name, wrong shape)
   */
  public static Loaded fromBytes(byte[] data, int threads, Device device) {
    Binary.Reader r = new Binary.Reader(data, MAGIC, FORMAT_VERSION, "checkpoint");
    String version = r.string();
    String configJson = r.string();
    int assigned = r.i32();
    int idCount = r.count(4);
    List<String> ids = new ArrayList<>(idCount);
    for (int i = 0; i < idCount; i++) ids.add(r.string());
    r.u8(); // 1 = optimiser state included (informative: the variables present say the same)
    int varCount = r.count(4);
    Map<String, DenseTensor> vars = new LinkedHashMap<>();
    for (int i = 0; i < varCount; i++) {
      String name = r.string();
      vars.put(name, r.tensor(name));
    }
    r.end();

    ModelConfig cfg;
    ItemVocabulary items;
    try {
      Object parsed = JsonCodec.parse(configJson);
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) parsed;
      cfg = ModelConfig.fromMap(map);
      if (device != null) cfg = cfg.withDevice(device);
      items = ItemVocabulary.withCapacity(ids, cfg.numItems());
    } catch (RuntimeException e) {
      throw new DeltaFormatException(
          "checkpoint " + version + " is malformed: " + e.getMessage(), e);
    }
    if (assigned < 0 || assigned > cfg.numItems()) {
      throw new DeltaFormatException(
          "checkpoint "
              + version
              + " is malformed: "
              + assigned
              + " assigned items for "
              + cfg.numItems()
              + " rows");
    }
    SasRecModel model = SasRecModel.create(cfg, threads);
    try {
      Set<String> known = new HashSet<>(model.variableNames(true));
      for (String name : vars.keySet()) {
        if (!known.contains(name)) {
          throw new DeltaFormatException(
              "checkpoint "
                  + version
                  + " has variable '"
                  + name
                  + "' that its config's graph does not have");
        }
      }
      for (String name : model.variableNames(false)) {
        if (!vars.containsKey(name)) {
          throw new DeltaFormatException(
              "checkpoint " + version + " lacks model weight '" + name + "'");
        }
      }
      for (var e : vars.entrySet()) {
        try {
          model.writeVariable(e.getKey(), e.getValue());
        } catch (IllegalArgumentException ex) {
          throw new DeltaFormatException("checkpoint " + version + ": " + ex.getMessage(), ex);
        }
      }
      model.setAssignedItems(assigned);
      return new Loaded(model, items, version);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }
}
