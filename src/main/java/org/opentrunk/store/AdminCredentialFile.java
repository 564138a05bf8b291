package org.opentrunk.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The admin user's password hash, kept in a file of the data directory readable by the server's
 * user only. Holds a slow hash ({@link org.opentrunk.core.auth.PasswordHash}), never the password.
 */
public final class AdminCredentialFile {

    public static final String FILE_NAME = "admin-password.hash";
    private final Path file;

    public AdminCredentialFile(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public Optional<String> read() {
        try {
            return Files.exists(file)
                    ? Optional.of(Files.readString(file, StandardCharsets.US_ASCII).trim())
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** Replaces the stored hash atomically (a crash leaves the old or the new one, whole). */
    public void write(String hash) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions are all there is
            }
            Files.writeString(tmp, hash + "\n", StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    public Path path() {
        return file;
    }
}
