package pulse.model.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model directory's manifest as the hand-written JSON writer wrote it before Jackson took over
 * (format 1, from {@code bin/pulse train} on a 12-item cycle): it still loads, and writing the
 * loaded manifest again gives the same bytes, so re-exported directories diff cleanly.
 */
class ManifestFormatTest {

  @Test
  void aManifestWrittenByTheEarlierWriterLoadsAndIsRewrittenByteForByte(@TempDir Path dir)
      throws Exception {
    String old = JsonCodecTest.resource("manifest-format-1.json");
    Files.writeString(dir.resolve(ModelDirectory.MANIFEST), old, StandardCharsets.UTF_8);

    Manifest m = ModelDirectory.readManifest(dir);

    assertEquals(Manifest.FORMAT_VERSION, m.formatVersion());
    assertEquals("20261207T025848326Z", m.modelVersion());
    assertEquals(17, m.config().numItems());
    assertEquals(8, m.config().dim());
    assertEquals(0.001, m.config().learningRate());
    assertEquals(12, m.itemIds().size());
    assertEquals("i11", m.itemIds().get(11));
    assertEquals(480L, m.data().get("interactions"));
    assertEquals(3, m.files().size());
    @SuppressWarnings("unchecked")
    Map<String, Object> validation = (Map<String, Object>) m.metrics().get("validation");
    assertEquals(0.54271, validation.get("full_ndcg10"));

    assertEquals(old, JsonCodec.pretty(m.toMap()));
  }
}
