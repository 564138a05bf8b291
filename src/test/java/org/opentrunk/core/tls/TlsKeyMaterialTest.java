package org.opentrunk.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrunk.testing.StirPki;

class TlsKeyMaterialTest {

    private static final char[] PASSWORD = "test-keystore".toCharArray();

    @TempDir
    Path dir;

    @Test
    void withoutPemFilesASelfSignedCertificateIsMadeOnceAndKept() throws Exception {
        TlsKeyMaterial first = new TlsKeyMaterial(dir, PASSWORD, Optional.empty(), Optional.empty(), "trunk.test", "192.0.2.5",
                Map::of);
        first.refresh();
        assertEquals(TlsKeyMaterial.State.SERVING, first.state());
        String fingerprint = CertificateFingerprint.sha256(first.identity().leaf());
        assertEquals("CN=trunk.test,O=OpenTrunk", first.identity().leaf().getSubjectX500Principal().getName());
        assertTrue(first.identity().leaf().getSubjectAlternativeNames().toString().contains("192.0.2.5"));
        assertEquals(fingerprint, CertificateFingerprint.sha256(served().getCertificate(KeyStoreFile.KEY_ALIAS) instanceof
                java.security.cert.X509Certificate c ? c : null));
        // a restart: the same certificate, not a new one
        TlsKeyMaterial again = new TlsKeyMaterial(dir, PASSWORD, Optional.empty(), Optional.empty(), "trunk.test", null, Map::of);
        again.refresh();
        assertEquals(fingerprint, CertificateFingerprint.sha256(again.identity().leaf()));
    }

    @Test
    void pemFilesAreServedAndAReplacementIsPickedUpWhileABrokenOneIsNot() throws Exception {
        StirPki.Issued ca = StirPki.root("ca");
        StirPki.Issued one = StirPki.tlsServer(ca, "192.0.2.5");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        write(cert, one.certificatePem() + ca.certificatePem(), key, one.privateKeyPem(), 1);
        TlsKeyMaterial material = new TlsKeyMaterial(dir, PASSWORD, Optional.of(cert), Optional.of(key), "trunk.test", null, Map::of);
        material.refresh();
        assertEquals(one.certificate(), material.identity().leaf());
        assertEquals(2, served().getCertificateChain(KeyStoreFile.KEY_ALIAS).length, "the chain with its intermediate");

        StirPki.Issued other = StirPki.tlsServer(ca, "192.0.2.5");
        write(cert, one.certificatePem(), key, other.privateKeyPem(), 2); // the key of another certificate
        material.refresh();
        assertEquals(TlsKeyMaterial.State.BROKEN, material.state());
        assertTrue(material.problem().contains("not the certificate's"), material.problem());
        assertEquals(one.certificate(), served().getCertificate(KeyStoreFile.KEY_ALIAS), "the old one stays served");

        write(cert, other.certificatePem(), key, other.privateKeyPem(), 3);
        material.refresh();
        assertEquals(TlsKeyMaterial.State.SERVING, material.state());
        assertEquals(other.certificate(), served().getCertificate(KeyStoreFile.KEY_ALIAS));
    }

    @Test
    void carrierCasAreTrustedEntriesAndTheFileIsRewrittenOnlyOnChange() throws Exception {
        StirPki.Issued carrierCa = StirPki.root("carrier ca");
        Map<String, String> cas = new HashMap<>();
        TlsKeyMaterial material = new TlsKeyMaterial(dir, PASSWORD, Optional.empty(), Optional.empty(), "trunk.test", null,
                () -> Map.copyOf(cas));
        material.refresh();
        Path file = dir.resolve(TlsKeyMaterial.SERVED_FILE);
        FileTime written = Files.getLastModifiedTime(file);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        material.refresh();
        assertEquals(FileTime.from(Instant.parse("2020-01-01T00:00:00Z")), Files.getLastModifiedTime(file), "unchanged: not rewritten");
        assertNotEquals(null, written);

        cas.put("7", carrierCa.certificatePem());
        cas.put("8", "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
        material.refresh();
        KeyStore store = served();
        assertEquals(carrierCa.certificate(), store.getCertificate("carrier-7-0"));
        assertEquals(2, Collections.list(store.aliases()).size(), "the key and carrier 7's CA; carrier 8's broken PEM is skipped");
    }

    @Test
    void olderKeyFormatsAreRefusedWithTheCommandThatConvertsThem() {
        StirPki.Issued ca = StirPki.root("ca");
        TlsMaterialException e = assertThrows(TlsMaterialException.class,
                () -> PemFiles.privateKey(StirPki.sec1Pem(ca.keys()), "key.pem"));
        assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e.getMessage());
        assertThrows(TlsMaterialException.class, () -> PemFiles.certificates("no pem here", "cert.pem"));
    }

    private KeyStore served() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(TlsKeyMaterial.SERVED_FILE))) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    /** Writes both files with a distinct modification time (file times can be coarse). */
    private static void write(Path cert, String certPem, Path key, String keyPem, int generation) throws Exception {
        Files.writeString(cert, certPem);
        Files.writeString(key, keyPem);
        FileTime time = FileTime.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(generation));
        Files.setLastModifiedTime(cert, time);
        Files.setLastModifiedTime(key, time);
    }
}
