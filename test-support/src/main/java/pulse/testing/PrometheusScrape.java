package pulse.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads series out of a Prometheus text scrape (GET /metrics) by name and labels, so tests compare
 * numbers, not how an exporter prints them ("1" or "1.0", the order of labels).
 */
public final class PrometheusScrape {
  private PrometheusScrape() {}

  /**
   * The sum of the samples named {@code name} whose labels include {@code labels} (pairs: name,
   * value, ...); 0 when there is none.
   */
  public static double value(String scrape, String name, String... labels) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (int i = 0; i + 1 < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    double sum = 0;
    for (String line : scrape.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(name)) {
        continue;
      }
      String rest = line.substring(name.length());
      Map<String, String> have = new LinkedHashMap<>();
      if (rest.startsWith("{")) {
        int end = rest.lastIndexOf('}');
        parseLabels(rest.substring(1, end), have);
        rest = rest.substring(end + 1);
      }
      if (!rest.startsWith(" ")) {
        continue; // another metric whose name starts with this one
      }
      if (have.entrySet().containsAll(wanted.entrySet())) {
        sum += Double.parseDouble(rest.trim().split(" ")[0]);
      }
    }
    return sum;
  }

  /** Whether a sample named {@code name} (any labels) is in the scrape. */
  public static boolean has(String scrape, String name) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return true;
      }
    }
    return false;
  }

  private static void parseLabels(String text, Map<String, String> into) {
    int i = 0;
    while (i < text.length()) {
      int eq = text.indexOf('=', i);
      String key = text.substring(i, eq).trim();
      StringBuilder value = new StringBuilder();
      int j = eq + 2; // past ="
      while (text.charAt(j) != '"') {
        char c = text.charAt(j);
        if (c == '\\') {
          char n = text.charAt(++j);
          value.append(n == 'n' ? '\n' : n);
        } else {
          value.append(c);
        }
        j++;
      }
      into.put(key, value.toString());
      i = j + 1;
      if (i < text.length() && text.charAt(i) == ',') {
        i++;
      }
    }
  }
}
