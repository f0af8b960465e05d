package pulse.model.export;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pulse.model.ModelConfig;

/**
 * The model directory's {@code manifest.json}: what the SavedModel is and how to use it.
 *
 * @param formatVersion bumped on incompatible changes to the directory layout or variable names
 * @param modelVersion free-form version of this model (e.g. a timestamp), for the engine's logs
 * @param createdAt ISO-8601 UTC
 * @param config architecture and training hyper-parameters
 * @param itemIds external item id of internal index i+1
 * @param data training-data fingerprint: source, sha256, users, items, interactions
 * @param metrics evaluation figures recorded at export time (may be empty)
 * @param files relative path -> sha256 of every file of the SavedModel
 */
public record Manifest(
    int formatVersion,
    String modelVersion,
    String createdAt,
    ModelConfig config,
    List<String> itemIds,
    Map<String, Object> data,
    Map<String, Object> metrics,
    Map<String, String> files) {

  public static final int FORMAT_VERSION = 1;
  public static final String MODEL_TYPE = "pulse-sasrec";

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("modelType", MODEL_TYPE);
    m.put("formatVersion", formatVersion);
    m.put("modelVersion", modelVersion);
    m.put("createdAt", createdAt);
    m.put("config", config.toMap());
    m.put("data", data);
    m.put("metrics", metrics);
    m.put("files", files);
    m.put("itemIds", itemIds);
    return m;
  }

  @SuppressWarnings("unchecked")
  public static Manifest fromMap(Map<String, Object> m) throws ModelLoadException {
    if (!MODEL_TYPE.equals(m.get("modelType"))) {
      throw new ModelLoadException(
          "manifest modelType is " + m.get("modelType") + ", expected " + MODEL_TYPE);
    }
    Object fv = m.get("formatVersion");
    if (!(fv instanceof Number n) || n.intValue() != FORMAT_VERSION) {
      throw new ModelLoadException(
          "manifest formatVersion " + fv + " is not supported (expected " + FORMAT_VERSION + ")");
    }
    try {
      ModelConfig config = ModelConfig.fromMap((Map<String, Object>) m.get("config"));
      List<String> items = ((List<Object>) m.get("itemIds")).stream().map(String::valueOf).toList();
      Map<String, String> files = new LinkedHashMap<>();
      for (var e : ((Map<String, Object>) m.get("files")).entrySet())
        files.put(e.getKey(), (String) e.getValue());
      return new Manifest(
          FORMAT_VERSION,
          String.valueOf(m.get("modelVersion")),
          String.valueOf(m.get("createdAt")),
          config,
          items,
          (Map<String, Object>) m.getOrDefault("data", Map.of()),
          (Map<String, Object>) m.getOrDefault("metrics", Map.of()),
          files);
    } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
      throw new ModelLoadException("manifest is malformed: " + e.getMessage(), e);
    }
  }
}
