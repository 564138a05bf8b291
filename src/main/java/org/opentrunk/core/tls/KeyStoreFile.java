package org.opentrunk.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The PKCS12 file Liberty's default key store reads (tls.xml): one key entry, {@value #KEY_ALIAS},
 * the certificate OpenTrunk serves, and one trusted entry per carrier CA. Written whole to a
 * temporary file and moved over the old one, so that Liberty's poll never reads half a file.
 */
public final class KeyStoreFile {

    /** The alias Liberty's generated key store uses too. */
    public static final String KEY_ALIAS = "default";
    private static final String TYPE = "PKCS12";

    private final Path file;
    private final char[] password;

    public KeyStoreFile(Path file, char[] password) {
        this.file = file;
        this.password = password.clone();
    }

    public Path file() {
        return file;
    }

    /** The identity in the file, when there is a readable one. */
    public Optional<ServerIdentity> readIdentity(String origin) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            KeyStore store = load();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Key key = store.getKey(alias, password);
                    Certificate[] chain = store.getCertificateChain(alias);
                    if (key instanceof PrivateKey privateKey && chain != null && chain.length > 0) {
                        List<X509Certificate> certificates = new ArrayList<>();
                        for (Certificate c : chain) {
                            certificates.add((X509Certificate) c);
                        }
                        return Optional.of(new ServerIdentity(privateKey, certificates, origin));
                    }
                }
            }
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** What the file holds now, as fingerprints (empty when it cannot be read): to write only on change. */
    public String contentSignature() {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try {
            return signature(load());
        } catch (IOException | GeneralSecurityException e) {
            return "";
        }
    }

    /** Writes identity and trusted CAs (alias to certificate) unless the file already holds exactly them; true when written. */
    public boolean writeIfChanged(ServerIdentity identity, Map<String, X509Certificate> trusted)
            throws TlsMaterialException {
        try {
            KeyStore store = KeyStore.getInstance(TYPE);
            store.load(null, password);
            store.setKeyEntry(KEY_ALIAS, identity.key(), password, identity.chain().toArray(new Certificate[0]));
            for (Map.Entry<String, X509Certificate> ca : trusted.entrySet()) {
                store.setCertificateEntry(ca.getKey(), ca.getValue());
            }
            if (signature(store).equals(contentSignature())) {
                return false;
            }
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".new");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(temporary)) {
                store.store(out, password);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException | GeneralSecurityException | UnsupportedOperationException e) {
            throw new TlsMaterialException("cannot write the key store " + file + ": " + e.getMessage(), e);
        }
    }

    private KeyStore load() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(TYPE);
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    /** Key entries' chains and trusted certificates by alias, as fingerprints, in alias order. */
    private static String signature(KeyStore store) throws GeneralSecurityException {
        Map<String, String> entries = new TreeMap<>();
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                StringBuilder chain = new StringBuilder("key");
                Certificate[] certificates = store.getCertificateChain(alias);
                for (Certificate c : certificates == null ? new Certificate[0] : certificates) {
                    chain.append(' ').append(CertificateFingerprint.sha256((X509Certificate) c));
                }
                entries.put(alias, chain.toString());
            } else {
                entries.put(alias, "ca " + CertificateFingerprint.sha256((X509Certificate) store.getCertificate(alias)));
            }
        }
        return entries.toString();
    }
}
