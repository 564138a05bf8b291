package org.opentrunk.admin;

import org.opentrunk.core.settings.TrunkSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.enterprise.context.ApplicationScoped;
import javax.inject.Inject;
import org.opentrunk.core.auth.PasswordHash;
import org.opentrunk.store.AdminCredentialFile;

/**
 * Checks the admin user's password. The stored value is a slow hash (about 100 ms to verify), and
 * HTTP basic authentication sends the password with every API request, so the last verified
 * password is remembered as a SHA-256 digest for {@link #REMEMBER_MILLIS}: a script polling the
 * API costs one slow hash, a password guesser pays it on every wrong guess.
 */
@ApplicationScoped
public class AdminCredentials {

    public static final String ADMIN_USER = "admin";
    public static final long REMEMBER_MILLIS = 5 * 60_000;

    private record Verified(String storedHash, byte[] passwordDigest, long until) {
    }

    @Inject
    private TrunkSettings settings;
    private final AtomicReference<Verified> lastVerified = new AtomicReference<>();

    public boolean matches(String user, String password) {
        if (!ADMIN_USER.equals(user) || password == null) {
            return false;
        }
        Optional<String> stored = file().read();
        if (stored.isEmpty()) {
            return false;
        }
        byte[] digest = sha256(password);
        Verified v = lastVerified.get();
        long now = System.currentTimeMillis();
        if (v != null && v.storedHash().equals(stored.get()) && now < v.until()
                && MessageDigest.isEqual(v.passwordDigest(), digest)) {
            return true;
        }
        boolean ok = PasswordHash.matches(password, stored.get());
        if (ok) {
            lastVerified.set(new Verified(stored.get(), digest, now + REMEMBER_MILLIS));
        }
        return ok;
    }

    /** Replaces the admin password (stored hashed). */
    public void change(String newPassword) {
        file().write(PasswordHash.hash(newPassword));
        lastVerified.set(null);
    }

    private AdminCredentialFile file() {
        return new AdminCredentialFile(settings.dataDir());
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
