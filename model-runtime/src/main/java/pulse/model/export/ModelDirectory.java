package pulse.model.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import pulse.model.Device;
import pulse.model.EncoderGraph;
import pulse.model.ModelConfig;
import pulse.model.SasRecModel;
import pulse.model.TransitionBlend;
import pulse.model.data.ItemVocabulary;

/**
 * Versioned model directory: {@code saved_model/} (a TensorFlow SavedModel of the whole graph,
 * serving signature "serving_default" = top-K, plus "encode") and {@code manifest.json}. Loading
 * rebuilds the graph from the manifest's config and restores the SavedModel's variables into it,
 * after checking every file's SHA-256, so a damaged or mismatched directory is refused with a
 * message that names the problem.
 *
 * <p>Spare rows: the manifest's {@code itemIds} may be shorter than {@code config.numItems} (the
 * item table's rows). The model is loaded with {@code assignedItems = itemIds.size()} and a
 * vocabulary that can grow ({@link ItemVocabulary#add}) up to numItems. Older directories (itemIds
 * == numItems) load as before. Outside this code, a SavedModel consumer must feed {@code
 * assigned_items} (= itemIds.size()) to the serving signature, else spare rows could be returned.
 */
public final class ModelDirectory {
  public static final String MANIFEST = "manifest.json";
  public static final String SAVED_MODEL = "saved_model";

  /** The model's {@link TransitionBlend}, when it has one. */
  public static final String TRANSITIONS = "transitions.bin";

  private ModelDirectory() {}

  /** A loaded model and what the manifest says about it. Closing it closes the model. */
  public record Loaded(SasRecModel model, Manifest manifest, ItemVocabulary items)
      implements AutoCloseable {
    @Override
    public void close() {
      model.close();
    }
  }

  public static Manifest export(
      SasRecModel model,
      ItemVocabulary items,
      Map<String, Object> data,
      Map<String, Object> metrics,
      Path dir)
      throws IOException {
    if (items.size() > model.config().numItems()) {
      throw new IllegalArgumentException(
          "vocabulary has "
              + items.size()
              + " items, more than the model's "
              + model.config().numItems()
              + " item rows");
    }
    Path saved = dir.resolve(SAVED_MODEL);
    if (Files.exists(saved)) deleteTree(saved);
    Files.createDirectories(dir);
    EncoderGraph g = model.encoderGraph();
    Signature topK =
        Signature.builder()
            .key(Signature.DEFAULT_KEY)
            .input("items", g.items)
            .input("k", g.k)
            .input("exclude_index", g.excludeIndex)
            .input("allow_index", g.allowIndex)
            .input("has_allowed", g.hasAllowed)
            .input("bonus_index", g.bonusIndex)
            .input("bonus_value", g.bonusValue)
            .input("assigned_items", g.assignedItems)
            .output("top_items", g.topItems)
            .output("top_scores", g.topScores)
            .build();
    Signature encode =
        Signature.builder()
            .key("encode")
            .input("items", g.items)
            .output("user_vectors", g.userVectors)
            .build();
    SavedModelBundle.exporter(saved.toString())
        .withSession(model.session())
        .withSignatures(topK, encode)
        .export();

    Path transitions = dir.resolve(TRANSITIONS);
    TransitionBlend blend = model.transitionBlend();
    if (blend != null) {
      try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(transitions))) {
        blend.write(o);
      }
    } else {
      Files.deleteIfExists(transitions);
    }
    Map<String, String> files = new TreeMap<>();
    if (blend != null) files.put(TRANSITIONS, sha256(transitions));
    try (Stream<Path> walk = Files.walk(saved)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        files.put(dir.relativize(p).toString().replace('\\', '/'), sha256(p));
      }
    }
    String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().atOffset(ZoneOffset.UTC));
    String version =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .format(Instant.now().atOffset(ZoneOffset.UTC));
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT_VERSION,
            version,
            now,
            model.config(),
            items.externalIds(),
            data,
            metrics,
            files);
    Path tmp = dir.resolve(MANIFEST + ".tmp");
    Files.writeString(tmp, JsonCodec.pretty(manifest.toMap()), StandardCharsets.UTF_8);
    Files.move(
        tmp,
        dir.resolve(MANIFEST),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    return manifest;
  }

  public static Manifest readManifest(Path dir) throws ModelLoadException {
    Path mf = dir.resolve(MANIFEST);
    if (!Files.isDirectory(dir))
      throw new ModelLoadException("model directory " + dir + " does not exist");
    if (!Files.isRegularFile(mf))
      throw new ModelLoadException("model directory " + dir + " has no " + MANIFEST);
    Object parsed;
    try {
      parsed = JsonCodec.parse(Files.readString(mf, StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      throw new ModelLoadException(mf + " is not readable JSON: " + e.getMessage(), e);
    }
    if (!(parsed instanceof Map<?, ?> map))
      throw new ModelLoadException(mf + " is not a JSON object");
    @SuppressWarnings("unchecked")
    Manifest m = Manifest.fromMap((Map<String, Object>) map);
    return m;
  }

  /** Loads with TensorFlow's default thread count on the device recorded in the manifest. */
  public static Loaded load(Path dir) throws ModelLoadException {
    return load(dir, 0, null);
  }

  /**
   * @param threads TF threads (0 = default)
   * @param device placement override (null = as trained)
   */
  public static Loaded load(Path dir, int threads, Device device) throws ModelLoadException {
    Manifest m = readManifest(dir);
    ModelConfig cfg = device == null ? m.config() : m.config().withDevice(device);
    if (m.itemIds().size() > cfg.numItems()) {
      throw new ModelLoadException(
          "manifest lists "
              + m.itemIds().size()
              + " item ids but config.numItems (the"
              + " item table's rows) is only "
              + cfg.numItems());
    }
    if (m.files().isEmpty()) throw new ModelLoadException("manifest lists no files");
    for (var e : m.files().entrySet()) {
      Path p = dir.resolve(e.getKey()).normalize();
      if (!p.startsWith(dir.normalize()))
        throw new ModelLoadException("manifest file path escapes the directory: " + e.getKey());
      if (!Files.isRegularFile(p))
        throw new ModelLoadException("model file missing: " + e.getKey());
      String actual;
      try {
        actual = sha256(p);
      } catch (IOException ex) {
        throw new ModelLoadException(
            "cannot read model file " + e.getKey() + ": " + ex.getMessage(), ex);
      }
      if (!actual.equals(e.getValue())) {
        throw new ModelLoadException(
            "checksum mismatch for "
                + e.getKey()
                + ": the model directory is damaged"
                + " or was modified after export (expected "
                + e.getValue()
                + ", found "
                + actual
                + ")");
      }
    }
    String prefix = dir.resolve(SAVED_MODEL).resolve("variables").resolve("variables").toString();
    ItemVocabulary items;
    try {
      items = ItemVocabulary.withCapacity(m.itemIds(), cfg.numItems());
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException("manifest item ids are invalid: " + e.getMessage(), e);
    }
    SasRecModel model;
    try {
      model = SasRecModel.restore(cfg, prefix, threads);
    } catch (RuntimeException e) {
      throw new ModelLoadException(
          "SavedModel variables do not match the manifest's config "
              + cfg.toMap()
              + ": "
              + firstLine(e.getMessage()),
          e);
    }
    model.setAssignedItems(items.size());
    if (m.files().containsKey(TRANSITIONS)) {
      try (InputStream in =
          new java.io.BufferedInputStream(Files.newInputStream(dir.resolve(TRANSITIONS)))) {
        model.setTransitionBlend(TransitionBlend.read(in));
      } catch (IOException | IllegalArgumentException e) {
        model.close();
        throw new ModelLoadException("cannot read " + TRANSITIONS + ": " + e.getMessage(), e);
      }
    }
    return new Loaded(model, m, items);
  }

  static String sha256(Path p) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = Files.newInputStream(p)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
    }
  }
}
