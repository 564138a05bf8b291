package org.opentrunk.core.auth.digest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IC-DIGEST: the nonce key survives restarts, so nonces cached by PBXs are stale, not forged. */
@Tag("IC-DIGEST")
class NonceSecretFileTest {

    private static final String REALM = "trunk.example.net";

    @TempDir
    Path dataDir;

    @Test
    void theFirstStartMakesAnOwnerOnlyFileOfARandomKey() throws Exception {
        Path inSubdirectory = dataDir.resolve("opentrunk-data");
        NonceSecretFile file = new NonceSecretFile(inSubdirectory);
        byte[] secret = file.readOrCreate();

        assertEquals(Nonces.MIN_SECRET_BYTES, secret.length);
        assertEquals(inSubdirectory.resolve(NonceSecretFile.FILE_NAME), file.path());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())));
        String text = Files.readString(file.path());
        assertTrue(text.matches("[0-9a-f]{" + NonceSecretFile.HEX_DIGITS + "}\n"), "64 hex digits and a newline");
        try (var files = Files.list(inSubdirectory)) {
            assertEquals(List.of(file.path()), files.toList(), "no temporary file left behind");
        }
        assertFalse(java.util.Arrays.equals(secret, new NonceSecretFile(dataDir.resolve("other")).readOrCreate()),
                "each server its own key");
    }

    @Test
    void laterStartsReuseTheKeySoEarlierNoncesAreStaleNotForged() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        byte[] first = new NonceSecretFile(dataDir).readOrCreate();
        String cached = new Nonces(first, Nonces.DEFAULT_LIFETIME, 10, clock).issue(REALM);

        byte[] second = new NonceSecretFile(dataDir).readOrCreate();
        assertArrayEquals(first, second);
        assertEquals(NonceValidity.STALE, new Nonces(second, Nonces.DEFAULT_LIFETIME, 10, clock).check(cached, REALM));
    }

    @Test
    void anUppercaseKeyOrOneWithoutNewlineIsRead() throws Exception {
        String hex = "00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff";
        Files.writeString(dataDir.resolve(NonceSecretFile.FILE_NAME), hex);
        assertArrayEquals(java.util.HexFormat.of().parseHex(hex.toLowerCase()), new NonceSecretFile(dataDir).readOrCreate());
    }

    @Test
    void aFileThatHoldsNoKeyStopsStartUpWithAClearMessageAndIsKept() throws Exception {
        Path path = dataDir.resolve(NonceSecretFile.FILE_NAME);
        for (String bad : List.of("", "\n", "0123456789abcdef", "zz".repeat(32), "0".repeat(63) + "\u00e9",
                "0".repeat(66), "secret-like words that are not hex", "0".repeat(2000))) {
            Files.writeString(path, bad);
            InvalidNonceSecretException e = assertThrows(InvalidNonceSecretException.class,
                    () -> new NonceSecretFile(dataDir).readOrCreate(), bad);
            assertTrue(e.getMessage().contains(path.toString()), e::getMessage);
            assertTrue(e.getMessage().contains("Delete it"), e::getMessage);
            assertFalse(!bad.isBlank() && e.getMessage().contains(bad.strip()), "the contents are not repeated");
            assertEquals(bad, Files.readString(path), "not replaced behind the operator's back");
        }
    }

    @Test
    void aDirectoryInItsPlaceHoldsNoKey() throws Exception {
        Files.createDirectory(dataDir.resolve(NonceSecretFile.FILE_NAME));
        InvalidNonceSecretException e = assertThrows(InvalidNonceSecretException.class,
                () -> new NonceSecretFile(dataDir).readOrCreate());
        assertTrue(e.getMessage().contains("not a regular file"), e::getMessage);
    }

    @Test
    void aDataDirectoryThatCannotBeMadeIsAnIoErrorNamingTheFile() throws Exception {
        Path notADirectory = Files.writeString(dataDir.resolve("plain-file"), "x");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> new NonceSecretFile(notADirectory).readOrCreate());
        assertTrue(e.getMessage().contains(NonceSecretFile.FILE_NAME), e::getMessage);
    }
}
