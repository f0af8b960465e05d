package pulse.engine.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.model.Device;
import pulse.model.export.Manifest;
import pulse.model.export.ModelDirectory;
import pulse.model.export.ModelLoadException;

/**
 * The folder of exported model versions ({@code pulse.model.dir}): one sub-folder per version, as
 * {@code bin/pulse train --out} writes them. Newest means latest {@code createdAt} in the manifest;
 * a folder whose manifest cannot be read, or whose model fails its checks on load, is skipped with
 * a warning, so a half-copied or damaged version never replaces a good one.
 */
public final class ModelRepository {
  private static final Logger log = LoggerFactory.getLogger(ModelRepository.class);

  /** A version found on disk: its folder and manifest (not loaded yet). */
  public record Candidate(Path dir, Manifest manifest, Instant createdAt) {}

  private final Path root;

  public ModelRepository(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** Every readable version, newest first. */
  public List<Candidate> candidates() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<Candidate> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir :
          dirs.filter(d -> Files.isRegularFile(d.resolve(ModelDirectory.MANIFEST))).toList()) {
        try {
          Manifest m = ModelDirectory.readManifest(dir);
          out.add(new Candidate(dir, m, parseInstant(m.createdAt())));
        } catch (ModelLoadException | RuntimeException e) {
          log.warn("skipping model folder {}: {}", dir, e.getMessage());
        }
      }
    } catch (IOException e) {
      log.warn("cannot list the model folder {}: {}", root, e.getMessage());
    }
    out.sort(Comparator.comparing(Candidate::createdAt).reversed());
    return out;
  }

  /** The newest version, if it differs from {@code currentVersion}. */
  public Optional<Candidate> newerThan(String currentVersion) {
    List<Candidate> all = candidates();
    if (all.isEmpty() || all.get(0).manifest().modelVersion().equals(currentVersion)) {
      return Optional.empty();
    }
    return Optional.of(all.get(0));
  }

  /**
   * Loads the newest version that passes its checks, skipping the ones that do not (and the current
   * one).
   */
  public Optional<ServingModel> loadNewest(String currentVersion, int threads, Device device) {
    for (Candidate c : candidates()) {
      if (c.manifest().modelVersion().equals(currentVersion)) {
        return Optional.empty(); // what we serve is already the newest good one
      }
      try {
        return Optional.of(load(c.dir(), threads, device));
      } catch (ModelLoadException e) {
        log.warn(
            "not serving model {} ({}): {}", c.manifest().modelVersion(), c.dir(), e.getMessage());
      }
    }
    return Optional.empty();
  }

  public static ServingModel load(Path dir, int threads, Device device) throws ModelLoadException {
    return ServingModel.of(dir, ModelDirectory.load(dir, threads, device));
  }

  private static Instant parseInstant(String text) {
    try {
      return Instant.parse(text);
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }
}
