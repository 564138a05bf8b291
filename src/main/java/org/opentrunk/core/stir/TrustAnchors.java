package org.opentrunk.core.stir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Set;

/**
 * The certificates an inbound PASSporT's chain must end in: the STI-CAs the STI-PA approved,
 * as PEM or DER files in {@code OT_STIR_CA_DIR} (ATIS-1000080 section 5.3).
 */
public final class TrustAnchors {

    /** More files than this in the directory is a misconfiguration (the STI-PA list has dozens). */
    public static final int MAX_FILES = 1000;

    private TrustAnchors() {
    }

    /** @throws InvalidStirKeyException when the directory cannot be read or holds no certificate */
    public static Set<TrustAnchor> load(Path dir) throws InvalidStirKeyException {
        Set<TrustAnchor> anchors = new HashSet<>();
        int files = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            for (Path file : entries) {
                if (!Files.isRegularFile(file) || !file.getFileName().toString().matches("(?i).*\\.(pem|crt|cer|der)")) {
                    continue;
                }
                if (++files > MAX_FILES) {
                    throw new InvalidStirKeyException(dir + " holds more than " + MAX_FILES + " certificate files");
                }
                try (InputStream in = Files.newInputStream(file)) {
                    for (Certificate c : x509.generateCertificates(in)) {
                        anchors.add(new TrustAnchor((X509Certificate) c, null));
                    }
                } catch (GeneralSecurityException e) {
                    throw new InvalidStirKeyException(file + " is not an X.509 certificate: " + e.getMessage(), e);
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidStirKeyException("cannot read the trust anchors in " + dir + ": " + e.getMessage(), e);
        }
        if (anchors.isEmpty()) {
            throw new InvalidStirKeyException(dir + " holds no certificate (*.pem, *.crt, *.cer, *.der)");
        }
        return Set.copyOf(anchors);
    }
}
