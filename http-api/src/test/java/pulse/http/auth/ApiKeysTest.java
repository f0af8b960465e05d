package pulse.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
  private static final String ADMIN = "admin-key-0123456789abcdef0123456789";
  private static final String READ = "read-key-0123456789abcdef0123456789ab";

  @Test
  void aKeyIsFoundByItsHashWithItsRoleAndName() {
    ApiKeys keys =
        ApiKeys.parse(
            List.of(
                "# ops keys",
                "admin " + ApiKeys.hashHex(ADMIN) + " ops-laptop",
                "",
                "read   " + ApiKeys.hashHex(READ).toUpperCase() + "   # the dashboard"),
            "keys");
    assertEquals(new ApiKeys.Caller("ops-laptop", Role.ADMIN), keys.lookup(ADMIN).orElseThrow());
    assertEquals(Role.READ, keys.lookup(READ).orElseThrow().role());
    assertTrue(keys.lookup("nope-0123456789abcdef0123456789abcdef").isEmpty());
    assertTrue(keys.lookup(ApiKeys.hashHex(ADMIN)).isEmpty(), "the hash itself is no key");
    assertEquals(Map.of(Role.ADMIN, 1, Role.READ, 1), keys.countByRole());
  }

  @Test
  void badLinesAreNamedWithTheirNumber() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ApiKeys.parse(
                    List.of("root " + ApiKeys.hashHex(ADMIN), "read abc", "admin"), "keys.txt"));
    assertTrue(e.getMessage().contains("keys.txt:1: unknown role 'root'"), e.getMessage());
    assertTrue(e.getMessage().contains("keys.txt:2: the hash must be 64 hex digits"));
    assertTrue(e.getMessage().contains("keys.txt:3: want"));
  }

  @Test
  void clearKeysAreHashedNamedAfterTheirVariableAndMustBeLong() {
    ApiKeys keys =
        ApiKeys.fromClear(
            Map.of(Role.INGEST, "ingest-key-0123456789abcdef0123456789"),
            Map.of(Role.INGEST, "PULSE_API_KEY_INGEST"));
    assertEquals(
        new ApiKeys.Caller("PULSE_API_KEY_INGEST", Role.INGEST),
        keys.lookup("ingest-key-0123456789abcdef0123456789").orElseThrow());
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ApiKeys.fromClear(
                    Map.of(Role.READ, "short"), Map.of(Role.READ, "PULSE_API_KEY_READ")));
    assertTrue(e.getMessage().startsWith("PULSE_API_KEY_READ must be at least 32"), e.getMessage());
    assertFalse(e.getMessage().contains("short"), "the key itself is never echoed");
  }

  @Test
  void adminMayDoEverythingOtherRolesOnlyTheirOwn() {
    for (Role needed : Role.values()) {
      assertTrue(Role.ADMIN.permits(needed));
    }
    assertTrue(Role.READ.permits(Role.READ));
    assertFalse(Role.READ.permits(Role.INGEST));
    assertFalse(Role.INGEST.permits(Role.READ));
    assertFalse(Role.INGEST.permits(Role.ADMIN));
  }
}
