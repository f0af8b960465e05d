package pulse.http.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys a node accepts, held by their SHA-256 only: a key is looked up by the hash of what a
 * client presents, and the stored hash is compared with it in constant time. Keys are random and
 * long (at least {@value #MIN_CLEAR_LENGTH} characters), so a fast hash is enough: nobody can guess
 * one from its hash, and a check costs microseconds.
 *
 * <p>A keys file has one key per line, {@code <role> <sha256-hex> <name>}, e.g. {@code admin
 * 9f86d08...0f00a08 ops-laptop}; {@code #} starts a comment. The name is what the log shows.
 */
public final class ApiKeys {
  public static final int MIN_CLEAR_LENGTH = 32;
  private static final HexFormat HEX = HexFormat.of();

  /** Who presented a key: the key's name and role. */
  public record Caller(String name, Role role) {}

  private record Entry(byte[] hash, Caller caller) {}

  private final Map<String, Entry> byHash;

  private ApiKeys(Map<String, Entry> byHash) {
    this.byHash = Map.copyOf(byHash);
  }

  public static ApiKeys none() {
    return new ApiKeys(Map.of());
  }

  /** The caller whose key this is, if any. */
  public Optional<Caller> lookup(String presented) {
    byte[] hash = sha256(presented);
    Entry e = byHash.get(HEX.formatHex(hash));
    if (e == null || !MessageDigest.isEqual(e.hash(), hash)) {
      return Optional.empty();
    }
    return Optional.of(e.caller());
  }

  public boolean isEmpty() {
    return byHash.isEmpty();
  }

  /** How many keys each role has (for the start-up log; never the keys). */
  public Map<Role, Integer> countByRole() {
    Map<Role, Integer> counts = new EnumMap<>(Role.class);
    byHash.values().forEach(e -> counts.merge(e.caller().role(), 1, Integer::sum));
    return counts;
  }

  /** These keys and {@code other}'s together. */
  public ApiKeys plus(ApiKeys other) {
    Map<String, Entry> all = new HashMap<>(byHash);
    all.putAll(other.byHash);
    return new ApiKeys(all);
  }

  /**
   * Clear keys by role, as the environment gives them ({@code PULSE_API_KEY_ADMIN}, ...): hashed
   * here, named after their variable. A key shorter than {@value #MIN_CLEAR_LENGTH} characters is
   * refused, naming {@code source} for that role.
   */
  public static ApiKeys fromClear(Map<Role, String> clearByRole, Map<Role, String> sourceByRole) {
    Map<String, Entry> out = new HashMap<>();
    clearByRole.forEach(
        (role, clear) -> {
          String source = sourceByRole.getOrDefault(role, role.label());
          if (clear.length() < MIN_CLEAR_LENGTH) {
            throw new IllegalArgumentException(
                source
                    + " must be at least "
                    + MIN_CLEAR_LENGTH
                    + " characters (it has "
                    + clear.length()
                    + "); generate one with: head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \\n'");
          }
          byte[] hash = sha256(clear);
          out.put(HEX.formatHex(hash), new Entry(hash, new Caller(source, role)));
        });
    return new ApiKeys(out);
  }

  /** Parses a keys file's lines; a bad line is an error naming {@code source} and its number. */
  public static ApiKeys parse(List<String> lines, String source) {
    Map<String, Entry> out = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      int hashMark = line.indexOf('#');
      if (hashMark >= 0) {
        line = line.substring(0, hashMark).strip();
      }
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\\s+");
      String where = source + ":" + (i + 1) + ": ";
      Optional<Role> role = Role.parse(parts[0]);
      if (parts.length < 2 || parts.length > 3) {
        problems.add(where + "want '<role> <sha256-hex> [name]'");
      } else if (role.isEmpty()) {
        problems.add(where + "unknown role '" + parts[0] + "' (admin, ingest or read)");
      } else if (!parts[1].matches("[0-9a-fA-F]{64}")) {
        problems.add(where + "the hash must be 64 hex digits (SHA-256 of the key)");
      } else {
        String hex = parts[1].toLowerCase();
        String name = parts.length == 3 ? parts[2] : role.get().label() + "@" + (i + 1);
        out.put(hex, new Entry(HEX.parseHex(hex), new Caller(name, role.get())));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return new ApiKeys(out);
  }

  /** SHA-256 of a clear key, as the keys file holds it. */
  public static String hashHex(String clear) {
    return HEX.formatHex(sha256(clear));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
