package pulse.http.auth;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's current keys: the clear keys of {@code pulse.http.auth.clear-keys} (normally from
 * {@code PULSE_API_KEY_ADMIN}, {@code _INGEST}, {@code _READ}), hashed at start, plus the keys file
 * ({@code PULSE_API_KEYS_FILE}), read again whenever it changes ({@link #reloadIfChanged}), so keys
 * are added and rotated without a restart. A file that turns unreadable or invalid keeps the keys
 * last read, with an error in the log.
 */
public final class ApiKeyStore {
  private static final Logger log = LoggerFactory.getLogger(ApiKeyStore.class);
  private static final Map<Role, String> ENV_NAMES =
      Map.of(
          Role.ADMIN, "PULSE_API_KEY_ADMIN",
          Role.INGEST, "PULSE_API_KEY_INGEST",
          Role.READ, "PULSE_API_KEY_READ");

  private final ApiKeys clear;
  private final Optional<Path> file;
  private final AtomicReference<ApiKeys> current = new AtomicReference<>();
  private volatile FileTime fileSeen;

  private ApiKeyStore(ApiKeys clear, Optional<Path> file) {
    this.clear = clear;
    this.file = file;
    current.set(clear.plus(file.map(ApiKeyStore::read).orElse(ApiKeys.none())));
    fileSeen = file.map(ApiKeyStore::modified).orElse(null);
  }

  /**
   * From {@code pulse.http.auth}; a short clear key or a bad keys file stops the node, naming the
   * variable or the line.
   */
  public static ApiKeyStore fromConfig(Config auth) {
    Map<Role, String> clearByRole = new EnumMap<>(Role.class);
    for (Role r : Role.values()) {
      String path = "clear-keys." + r.label();
      if (auth.hasPath(path) && !auth.getString(path).isEmpty()) {
        clearByRole.put(r, auth.getString(path));
      }
    }
    String fileName = auth.getString("keys-file");
    Optional<Path> file = fileName.isEmpty() ? Optional.empty() : Optional.of(Path.of(fileName));
    file.ifPresent(
        f -> {
          if (!Files.isReadable(f)) {
            throw new IllegalArgumentException(
                "the keys file " + f + " (PULSE_API_KEYS_FILE) cannot be read");
          }
        });
    ApiKeyStore store = new ApiKeyStore(ApiKeys.fromClear(clearByRole, ENV_NAMES), file);
    log.info(
        "API keys: {} by role{}",
        store.keys().countByRole(),
        file.map(f -> " (from the environment and " + f + ")").orElse(" (from the environment)"));
    return store;
  }

  public ApiKeys keys() {
    return current.get();
  }

  /** Reads the keys file again if it changed since it was last read. */
  public void reloadIfChanged() {
    if (file.isEmpty()) {
      return;
    }
    Path f = file.get();
    try {
      FileTime seen = Files.getLastModifiedTime(f);
      if (seen.equals(fileSeen)) {
        return;
      }
      ApiKeys fromFile = read(f);
      current.set(clear.plus(fromFile));
      fileSeen = seen;
      log.info("API keys reloaded from {}: {} by role", f, keys().countByRole());
    } catch (IOException | RuntimeException e) {
      log.error(
          "the keys file {} could not be read again; keeping the keys last read: {}",
          f,
          e.getMessage());
    }
  }

  private static ApiKeys read(Path f) {
    try {
      return ApiKeys.parse(Files.readAllLines(f), f.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("the keys file " + f + " cannot be read: " + e, e);
    }
  }

  private static FileTime modified(Path f) {
    try {
      return Files.getLastModifiedTime(f);
    } catch (IOException e) {
      return null;
    }
  }
}
