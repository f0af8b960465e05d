package pulse.engine.ingest;

import java.time.Duration;
import java.time.Instant;

/**
 * Bounds that ingest validation enforces; one instance per node, from config. Lengths count UTF-16
 * chars ({@link String#length()}), which bounds memory, not glyphs.
 */
public record ValidationLimits(
    int maxIdLength,
    int maxTextLength,
    Duration maxFutureSkew,
    Instant earliestTimestamp,
    int maxBatchSize,
    int maxItemCategories,
    int maxItemAttributes) {

  public static final ValidationLimits DEFAULTS =
      new ValidationLimits(
          128, 512, Duration.ofMinutes(5), Instant.parse("2000-01-01T00:00:00Z"), 1_000, 32, 64);

  public ValidationLimits {
    if (maxIdLength < 1
        || maxTextLength < 1
        || maxBatchSize < 1
        || maxItemCategories < 0
        || maxItemAttributes < 0
        || maxFutureSkew.isNegative()) {
      throw new IllegalArgumentException(
          "validation limits must be positive: "
              + maxIdLength
              + ", "
              + maxTextLength
              + ", "
              + maxBatchSize
              + ", "
              + maxItemCategories
              + ", "
              + maxItemAttributes
              + ", "
              + maxFutureSkew);
    }
  }

  public static ValidationLimits defaults() {
    return DEFAULTS;
  }
}
