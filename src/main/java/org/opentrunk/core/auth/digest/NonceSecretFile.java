package org.opentrunk.core.auth.digest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;

/**
 * The HMAC key of the digest nonces (IC-DIGEST), kept in the data directory ({@code OT_DATA_DIR})
 * so that it survives a restart. With a key made afresh per start, a nonce a PBX cached before
 * the restart failed its MAC: 403 and a counted brute-force failure, and PJSIP-based PBXs
 * (Asterisk, FreePBX), which refresh REGISTER with the cached nonce, often stop trying after a
 * 403. With the key kept, such a nonce is still recognised as ours and, the password being right,
 * re-challenged with {@code stale=true} ({@link Nonces#check}).
 *
 * <p>The file holds the key as {@value #HEX_DIGITS} hex digits and a newline, readable by the
 * server's user only; it is made on the first start. Deleting it is harmless: a new key is made
 * at the next start, and PBXs holding a nonce are challenged once more (after a 403).
 */
public final class NonceSecretFile {

    public static final String FILE_NAME = "nonce-secret.hex";
    /** {@link Nonces#MIN_SECRET_BYTES} in hex. */
    static final int HEX_DIGITS = 2 * Nonces.MIN_SECRET_BYTES;
    /** Larger than any file this class writes; a bigger one is not read at all. */
    private static final long MAX_FILE_BYTES = 1024;

    private final Path file;

    public NonceSecretFile(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    /**
     * The stored key; when there is no file, a new random key, stored first.
     *
     * @throws InvalidNonceSecretException when the file exists but does not hold a key
     * @throws UncheckedIOException        when the file cannot be read or written
     */
    public byte[] readOrCreate() {
        if (Files.exists(file)) {
            return read();
        }
        byte[] secret = Nonces.randomSecret();
        write(secret);
        return secret;
    }

    public Path path() {
        return file;
    }

    private byte[] read() {
        if (!Files.isRegularFile(file)) {
            throw invalid("not a regular file");
        }
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw invalid(size + " bytes");
            }
            String text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).strip();
            if (!Ha1.isHex(text, HEX_DIGITS)) {
                // The contents are a secret, or should be: say only their length.
                throw invalid(text.length() + " characters");
            }
            return HexFormat.of().parseHex(text);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the digest nonce key " + file, e);
        }
    }

    private InvalidNonceSecretException invalid(String found) {
        return new InvalidNonceSecretException(file + " does not hold a digest nonce key (" + HEX_DIGITS
                + " hex digits; found " + found + "). Delete it and a new key is made at the next start;"
                + " PBXs holding a nonce are then challenged once more.");
    }

    /** Atomically (a crash leaves no file or the whole one), owner-only from the first byte. */
    private void write(byte[] secret) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp");
            try {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the directory's permissions are all there is
                }
                Files.writeString(tmp, HexFormat.of().formatHex(secret) + "\n", StandardCharsets.US_ASCII);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the digest nonce key " + file, e);
        }
    }
}
