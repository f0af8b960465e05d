package pulse.engine.recommend;

import java.time.Duration;

/**
 * The inference queue is full: the request was refused at once; the client should retry after a
 * while.
 */
public final class OverloadedException extends RuntimeException {
  private final Duration retryAfter;

  public OverloadedException(String message, Duration retryAfter) {
    super(message, null, false, false); // expected under overload: no stack trace to fill
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
