package pulse.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Architecture and training hyper-parameters of the sequence encoder.
 *
 * @param numItems rows of the item table (its capacity); internal item indices are 1..numItems, 0
 *     is padding. A model may hold fewer items than that ({@code SasRecModel.assignedItems()}, the
 *     vocabulary's size): the rest are spare rows for items that appear later
 * @param dim embedding and hidden width d
 * @param heads attention heads (dim must divide by it)
 * @param blocks transformer blocks
 * @param maxLen sequence length fed to the model (left-padded)
 * @param dropout dropout rate used while training
 * @param learningRate Adam learning rate
 * @param batchSize training mini-batch size
 * @param loss training objective
 * @param negatives sampled negatives per positive
 * @param gbceT gBCE calibration t (only used by {@link LossKind#GBCE})
 * @param seed seed for initialisation, dropout and sampling
 * @param eventTypes vocabulary size of the optional per-position event-type input (0 = input
 *     absent)
 * @param gapBuckets vocabulary size of the optional time-gap-bucket input (0 = absent)
 * @param categories vocabulary size of the optional item-category input (0 = absent)
 * @param device op placement
 */
public record ModelConfig(
    int numItems,
    int dim,
    int heads,
    int blocks,
    int maxLen,
    double dropout,
    double learningRate,
    int batchSize,
    LossKind loss,
    int negatives,
    double gbceT,
    long seed,
    int eventTypes,
    int gapBuckets,
    int categories,
    Device device) {

  public ModelConfig {
    require(numItems >= 1, "numItems must be >= 1");
    require(dim >= 1, "d must be >= 1");
    require(
        heads >= 1 && dim % heads == 0,
        "d (" + dim + ") must be a multiple of heads (" + heads + ")");
    require(blocks >= 1, "blocks must be >= 1");
    require(maxLen >= 1, "max-len must be >= 1");
    require(dropout >= 0 && dropout < 1, "dropout must be in [0,1)");
    require(learningRate > 0, "lr must be > 0");
    require(batchSize >= 1, "batch must be >= 1");
    require(negatives >= 1, "negatives must be >= 1");
    require(gbceT >= 0 && gbceT <= 1, "gbce-t must be in [0,1]");
    require(
        eventTypes >= 0 && gapBuckets >= 0 && categories >= 0, "side vocabularies must be >= 0");
    if (loss == null) throw new IllegalArgumentException("loss must be set");
    if (device == null) throw new IllegalArgumentException("device must be set");
  }

  /**
   * The SASRec paper's setup for Amazon Games (d=50, 2 blocks, 1 head, maxLen 50, dropout 0.5,
   * BCE).
   */
  public static ModelConfig sasrecDefaults(int numItems) {
    return new ModelConfig(
        numItems, 50, 1, 2, 50, 0.5, 0.001, 128, LossKind.BCE, 1, 0.75, 42L, 0, 0, 0, Device.CPU);
  }

  /**
   * Spare item rows {@code ModelCli train} adds by default: 10% of the catalogue, at least 64 (room
   * for new items between retrainings; 64 rows of d floats cost nothing next to the table).
   */
  public static int defaultSpareItems(int catalogueItems) {
    return Math.max(64, (catalogueItems + 9) / 10);
  }

  public ModelConfig withNumItems(int n) {
    return new ModelConfig(
        n,
        dim,
        heads,
        blocks,
        maxLen,
        dropout,
        learningRate,
        batchSize,
        loss,
        negatives,
        gbceT,
        seed,
        eventTypes,
        gapBuckets,
        categories,
        device);
  }

  public ModelConfig withMaxLen(int len) {
    return new ModelConfig(
        numItems,
        dim,
        heads,
        blocks,
        len,
        dropout,
        learningRate,
        batchSize,
        loss,
        negatives,
        gbceT,
        seed,
        eventTypes,
        gapBuckets,
        categories,
        device);
  }

  public ModelConfig withDevice(Device d) {
    return new ModelConfig(
        numItems,
        dim,
        heads,
        blocks,
        maxLen,
        dropout,
        learningRate,
        batchSize,
        loss,
        negatives,
        gbceT,
        seed,
        eventTypes,
        gapBuckets,
        categories,
        d);
  }

  public boolean hasSideInputs() {
    return eventTypes > 0 || gapBuckets > 0 || categories > 0;
  }

  /** Flat map for the manifest (JSON object). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("numItems", numItems);
    m.put("dim", dim);
    m.put("heads", heads);
    m.put("blocks", blocks);
    m.put("maxLen", maxLen);
    m.put("dropout", dropout);
    m.put("learningRate", learningRate);
    m.put("batchSize", batchSize);
    m.put("loss", loss.cliName());
    m.put("negatives", negatives);
    m.put("gbceT", gbceT);
    m.put("seed", seed);
    m.put("eventTypes", eventTypes);
    m.put("gapBuckets", gapBuckets);
    m.put("categories", categories);
    m.put("device", device.name().toLowerCase());
    return m;
  }

  public static ModelConfig fromMap(Map<String, Object> m) {
    return new ModelConfig(
        intOf(m, "numItems"),
        intOf(m, "dim"),
        intOf(m, "heads"),
        intOf(m, "blocks"),
        intOf(m, "maxLen"),
        doubleOf(m, "dropout"),
        doubleOf(m, "learningRate"),
        intOf(m, "batchSize"),
        LossKind.parse(String.valueOf(need(m, "loss"))),
        intOf(m, "negatives"),
        doubleOf(m, "gbceT"),
        ((Number) need(m, "seed")).longValue(),
        intOf(m, "eventTypes"),
        intOf(m, "gapBuckets"),
        intOf(m, "categories"),
        Device.parse(String.valueOf(need(m, "device"))));
  }

  private static Object need(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v == null) throw new IllegalArgumentException("config field '" + key + "' is missing");
    return v;
  }

  private static int intOf(Map<String, Object> m, String key) {
    return ((Number) need(m, key)).intValue();
  }

  private static double doubleOf(Map<String, Object> m, String key) {
    return ((Number) need(m, key)).doubleValue();
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new IllegalArgumentException(message);
  }
}
