package pulse.model.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} options (and bare {@code --flag}s); every option must be consumed or it is
 * an error.
 */
final class Args {
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Set<String> used = new HashSet<>();

  Args(String[] argv, int from, Set<String> flags) {
    for (int i = from; i < argv.length; i++) {
      String a = argv[i];
      if (!a.startsWith("--") || a.length() < 3)
        throw new UsageException("unexpected argument '" + a + "'");
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (flags.contains(name)) {
        value = "true";
      } else {
        if (i + 1 >= argv.length) throw new UsageException("option --" + name + " needs a value");
        value = argv[++i];
      }
      if (values.put(name, value) != null)
        throw new UsageException("option --" + name + " given twice");
    }
  }

  String string(String name, String fallback) {
    used.add(name);
    return values.getOrDefault(name, fallback);
  }

  String required(String name) {
    used.add(name);
    String v = values.get(name);
    if (v == null) throw new UsageException("missing required option --" + name);
    return v;
  }

  boolean flag(String name) {
    used.add(name);
    return Boolean.parseBoolean(values.getOrDefault(name, "false"));
  }

  int integer(String name, int fallback) {
    String v = string(name, null);
    if (v == null) return fallback;
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be an integer, got '" + v + "'");
    }
  }

  long longValue(String name, long fallback) {
    String v = string(name, null);
    if (v == null) return fallback;
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be an integer, got '" + v + "'");
    }
  }

  double decimal(String name, double fallback) {
    String v = string(name, null);
    if (v == null) return fallback;
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a number, got '" + v + "'");
    }
  }

  Path existingFile(String name) {
    Path p = Path.of(required(name));
    if (!Files.isRegularFile(p)) throw new UsageException("--" + name + ": file not found: " + p);
    return p;
  }

  Path existingDir(String name) {
    Path p = Path.of(required(name));
    if (!Files.isDirectory(p))
      throw new UsageException("--" + name + ": directory not found: " + p);
    return p;
  }

  /** Call after reading every option the command knows. */
  void rejectUnknown() {
    for (String k : values.keySet()) {
      if (!used.contains(k)) throw new UsageException("unknown option --" + k);
    }
  }
}
