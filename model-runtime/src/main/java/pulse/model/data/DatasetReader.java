package pulse.model.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads interaction files into per-user sequences. */
public final class DatasetReader {
  private DatasetReader() {}

  /** Reads with a fresh vocabulary (training). */
  public static UserSequences read(Path file, DatasetFormat format) throws IOException {
    return read(file, format, new ItemVocabulary());
  }

  /**
   * Reads with a given vocabulary; if it is frozen (a trained model's), interactions with unknown
   * items are dropped, since the model cannot score them.
   */
  public static UserSequences read(Path file, DatasetFormat format, ItemVocabulary vocabulary)
      throws IOException {
    if (!Files.isRegularFile(file))
      throw new NoSuchFileException(file.toString(), null, "data file not found");
    MessageDigest sha = sha256();
    sha.update(format.name().getBytes(StandardCharsets.UTF_8));
    Map<String, List<long[]>> byUser = new LinkedHashMap<>(); // user -> (time, item, order)
    long lineNo = 0;
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lineNo++;
        line = line.strip();
        if (line.isEmpty()) continue;
        String[] f = line.split("\\s+");
        long time;
        if (format == DatasetFormat.SASREC) {
          if (f.length < 2) throw bad(file, lineNo, "expected 'user item'");
          time = lineNo;
        } else {
          if (f.length < 4) throw bad(file, lineNo, "expected 'user item rating timestamp'");
          try {
            time = Long.parseLong(f[3]);
          } catch (NumberFormatException e) {
            throw bad(file, lineNo, "timestamp is not a number");
          }
        }
        int item = vocabulary.indexOf(f[1]);
        if (item < 0) continue;
        byUser.computeIfAbsent(f[0], u -> new ArrayList<>()).add(new long[] {time, item, lineNo});
      }
    }
    vocabulary.freeze();
    List<String> users = new ArrayList<>(byUser.keySet());
    int[][] seqs = new int[users.size()][];
    int[][] gaps = format == DatasetFormat.MOVIELENS ? new int[users.size()][] : null;
    int u = 0;
    for (List<long[]> events : byUser.values()) {
      // Stable by file order on equal timestamps (MovieLens has many ties).
      events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[2], b[2]));
      int[] s = new int[events.size()];
      for (int i = 0; i < s.length; i++) s[i] = (int) events.get(i)[1];
      if (gaps != null) {
        long[] times = new long[s.length];
        for (int i = 0; i < s.length; i++) times[i] = events.get(i)[0];
        gaps[u] = GapBuckets.of(times);
      }
      seqs[u++] = s;
    }
    return new UserSequences(
        users, seqs, vocabulary, HexFormat.of().formatHex(sha.digest()), file.toString(), gaps);
  }

  private static IOException bad(Path file, long line, String what) {
    return new IOException(file + ":" + line + ": " + what);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
