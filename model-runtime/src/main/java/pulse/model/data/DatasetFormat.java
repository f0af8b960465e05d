package pulse.model.data;

import java.util.Locale;

public enum DatasetFormat {
  /**
   * One "user item" pair per line, each user's lines in time order (SASRec's preprocessed files).
   */
  SASREC,
  /**
   * MovieLens u.data: user \t item \t rating \t timestamp; each user's events sorted by timestamp.
   */
  MOVIELENS;

  public static DatasetFormat parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "sasrec" -> SASREC;
      case "movielens" -> MOVIELENS;
      default ->
          throw new IllegalArgumentException("unknown format '" + text + "' (sasrec|movielens)");
    };
  }
}
