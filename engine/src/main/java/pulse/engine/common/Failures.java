package pulse.engine.common;

import java.util.concurrent.CompletionException;

/**
 * How a failure is reported: by its root cause, since wrappers (CompletionException, ...) say
 * nothing.
 */
public final class Failures {
  private Failures() {}

  /** {@code e} without the CompletionException wrappers a failed stage puts around its cause. */
  public static Throwable unwrapCompletion(Throwable e) {
    Throwable t = e;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The innermost cause of {@code e}. */
  public static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  /** The root cause's message, or its class name where it has none. */
  public static String rootMessage(Throwable e) {
    Throwable t = rootCause(e);
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
