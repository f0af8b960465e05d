package pulse.engine.metrics;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * The children of one labelled metric, one per distinct tuple of label values. The lookup walks one
 * map level per label, keyed by the value itself, so finding an existing child allocates nothing
 * (no joined key, no key object); that is the per-request path. Label values must come from a small
 * fixed set (endpoint templates, status codes, reasons), never from ids: every tuple seen stays
 * until removed.
 */
final class Children<C> {
  /** A child with its labels already rendered for the scrape. */
  record Entry<C>(String[] values, String labels, C child) {}

  private final String metric;
  private final List<String> labelNames;
  private final Function<String[], C> factory;
  private final ConcurrentHashMap<String, Object> root = new ConcurrentHashMap<>();

  /** Scrape order is creation order: stable output, and iteration does not race the map levels. */
  private final ConcurrentLinkedQueue<Entry<C>> entries = new ConcurrentLinkedQueue<>();

  private final C unlabelled;

  Children(String metric, List<String> labelNames, Function<String[], C> factory) {
    this.metric = metric;
    this.labelNames = labelNames;
    this.factory = factory;
    if (labelNames.isEmpty()) {
      // An unlabelled metric has exactly one child, present (as 0) from the start.
      this.unlabelled = factory.apply(new String[0]);
      entries.add(new Entry<>(new String[0], "", unlabelled));
    } else {
      this.unlabelled = null;
    }
  }

  /** The child of an unlabelled metric. */
  C only() {
    if (unlabelled == null) {
      throw new IllegalStateException(metric + " has labels " + labelNames + "; use labels(...)");
    }
    return unlabelled;
  }

  @SuppressWarnings("unchecked")
  C get(String[] values) {
    if (values.length != labelNames.size()) {
      throw new IllegalArgumentException(
          metric + " has labels " + labelNames + ", got " + values.length + " value(s)");
    }
    if (unlabelled != null) {
      return unlabelled;
    }
    ConcurrentHashMap<String, Object> level = root;
    int last = values.length - 1;
    for (int i = 0; i < last; i++) {
      Object next = level.get(checked(values[i]));
      if (next == null) {
        next = level.computeIfAbsent(values[i], v -> new ConcurrentHashMap<String, Object>());
      }
      level = (ConcurrentHashMap<String, Object>) next;
    }
    Object child = level.get(checked(values[last]));
    if (child == null) {
      // computeIfAbsent runs the creation once per tuple, so the entry is queued exactly once.
      child = level.computeIfAbsent(values[last], v -> create(values.clone()));
    }
    return (C) child;
  }

  /** Forgets one tuple; a later {@link #get} starts it again from zero. */
  @SuppressWarnings("unchecked")
  void remove(String[] values) {
    if (unlabelled != null || values.length != labelNames.size()) {
      throw new IllegalArgumentException(
          metric + " has labels " + labelNames + ", got " + values.length + " value(s)");
    }
    ConcurrentHashMap<String, Object> level = root;
    for (int i = 0; i < values.length - 1; i++) {
      level = (ConcurrentHashMap<String, Object>) level.get(checked(values[i]));
      if (level == null) {
        return;
      }
    }
    Object child = level.remove(checked(values[values.length - 1]));
    if (child != null) {
      entries.removeIf(e -> e.child() == child);
    }
  }

  Iterable<Entry<C>> entries() {
    return entries;
  }

  private C create(String[] values) {
    C child = factory.apply(values);
    entries.add(new Entry<>(values, TextFormat.renderLabels(labelNames, values), child));
    return child;
  }

  private String checked(String value) {
    if (value == null) {
      throw new IllegalArgumentException("label values of " + metric + " must not be null");
    }
    return value;
  }
}
