package pulse.engine.versions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VersionNameTest {
  @Test
  void aLearnedVersionReadsBackItsLineageAndSeq() {
    VersionName name = VersionName.parse(VersionName.learned("ml100k-first80-ssm", 42).toString());
    assertEquals("ml100k-first80-ssm.u42", name.toString());
    assertEquals("ml100k-first80-ssm", name.lineage());
    assertEquals(42, name.seq());
    assertTrue(name.learned());
  }

  @Test
  void anOfflineNameIsItsOwnLineage() {
    VersionName name = VersionName.parse("demo-20261203T101500Z");
    assertFalse(name.learned());
    assertEquals("demo-20261203T101500Z", name.lineage());
    assertEquals("demo-20261203T101500Z", name.toString());
  }

  @Test
  void aDotUThatIsNotASeqIsPartOfAnOfflineName() {
    VersionName name = VersionName.parse("shop.users-v2");
    assertFalse(name.learned());
    assertEquals("shop.users-v2", name.lineage());
  }

  @Test
  void theLastSuffixIsTheSeq() {
    assertEquals(new VersionName("a.u1", 7), VersionName.parse("a.u1.u7"));
  }
}
