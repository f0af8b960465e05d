package pulse.engine.analysis;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import pulse.engine.experiment.ServedList;
import pulse.engine.feedback.FeedbackWire;

/**
 * Puts a served list back together from its impressions on the feedback topic (one record per item,
 * its rank in {@code value}). A user actor persists the impressions of one list in one write and
 * the outbox publishes them in a row, so a list is complete when the user's next record arrives,
 * or, at the latest, when the reader has moved {@code settle} past it (a batch boundary may fall
 * between two of its impressions). Impressions of no experiment are not lists of interest.
 */
final class ServedLists {
  private final long settleMillis;
  private final Consumer<ServedList> complete;
  private final BiPredicate<String, String> shadow;
  // listId -> list being assembled, in arrival order
  private final Map<String, Assembling> open = new LinkedHashMap<>();

  private static final class Assembling {
    final FeedbackWire first;
    final TreeMap<Integer, String> itemsByRank = new TreeMap<>();

    Assembling(FeedbackWire first) {
      this.first = first;
    }
  }

  /**
   * {@code shadow}: whether (experiment, variant) is a shadow variant, whose lists were not shown.
   */
  ServedLists(
      long settleMillis, Consumer<ServedList> complete, BiPredicate<String, String> shadow) {
    this.settleMillis = settleMillis;
    this.complete = complete;
    this.shadow = shadow;
  }

  /** True when the record was an impression of an experiment (and so taken here). */
  boolean offer(FeedbackWire w) {
    if (!"impression".equals(w.type()) || w.experiment() == null || w.listId() == null) {
      return false;
    }
    Assembling a = open.computeIfAbsent(w.listId(), id -> new Assembling(w));
    int rank = w.value() == null ? a.itemsByRank.size() + 1 : (int) Math.round(w.value());
    a.itemsByRank.put(rank, w.itemId());
    return true;
  }

  /** Completes the user's lists: their next record is about to be read. */
  void completeUser(String userId) {
    Iterator<Assembling> it = open.values().iterator();
    while (it.hasNext()) {
      Assembling a = it.next();
      if (a.first.userId().equals(userId)) {
        it.remove();
        complete.accept(toList(a));
      }
    }
  }

  /** Completes every list served more than {@code settle} before {@code eventTime}. */
  void settle(long eventTime) {
    Iterator<Assembling> it = open.values().iterator();
    while (it.hasNext()) {
      Assembling a = it.next();
      if (a.first.timestamp() + settleMillis < eventTime) {
        it.remove();
        complete.accept(toList(a));
      }
    }
  }

  /** Completes every list (before a checkpoint: what is saved must not depend on this buffer). */
  void completeAll() {
    List<Assembling> all = new ArrayList<>(open.values());
    open.clear();
    all.forEach(a -> complete.accept(toList(a)));
  }

  int assembling() {
    return open.size();
  }

  private ServedList toList(Assembling a) {
    FeedbackWire w = a.first;
    return new ServedList(
        w.userId(),
        w.listId(),
        w.experiment(),
        w.variant(),
        new ArrayList<>(a.itemsByRank.values()),
        w.timestamp(),
        "trending".equals(w.servedBy()),
        w.tookMs() == null ? 0 : w.tookMs(),
        shadow.test(w.experiment(), w.variant()));
  }
}
