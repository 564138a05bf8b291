package org.opentrunk.core.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps Liberty's key store file (tls.xml) holding what OpenTrunk should serve and trust (IC-TLS):
 * the operator's PEM files ({@code OT_TLS_CERT}, {@code OT_TLS_KEY}) when set, else a self-signed
 * certificate made once in the data directory (its fingerprint logged when it is made); plus
 * every carrier's {@code caPem} as a trusted certificate. {@link #refresh} runs at start and then
 * periodically: replaced PEM files (a renewed certificate) or a changed carrier CA reach the file,
 * and Liberty, which polls it, serves them without a restart. A broken PEM file is logged and the
 * certificate served before stays.
 */
public final class TlsKeyMaterial {

    /** Where the served certificate stands. */
    public enum State {
        /** Nothing written yet (before the first refresh). */
        NOT_LOADED,
        /** The file holds the wanted certificate. */
        SERVING,
        /** The PEM files cannot be used; whatever the file held before is still served. */
        BROKEN
    }

    private static final Logger LOG = Logger.getLogger(TlsKeyMaterial.class.getName());
    /** Name of the served key store in the data directory's {@code tls} folder (tls.xml says the same). */
    public static final String SERVED_FILE = "key.p12";
    /** The self-signed certificate OpenTrunk made, kept apart so that it is made only once. */
    public static final String SELF_SIGNED_FILE = "self-signed.p12";

    private final KeyStoreFile served;
    private final KeyStoreFile selfSigned;
    private final Optional<Path> certificatePem;
    private final Optional<Path> keyPem;
    private final char[] password;
    private final String domain;
    private final String ipAddress;
    private final Supplier<Map<String, String>> carrierCas;

    private State state = State.NOT_LOADED;
    private String pemStamp = "";
    private ServerIdentity identity;
    private String problem = "";

    /**
     * @param tlsDir     the data directory's {@code tls} folder
     * @param domain     the trunk's SIP domain (a self-signed certificate's name)
     * @param ipAddress  the SIP address when it is an IPv4 literal (a self-signed certificate's IP name), or null
     * @param carrierCas each carrier's CA certificates in PEM, by a name for logs and aliases
     */
    public TlsKeyMaterial(Path tlsDir, char[] password, Optional<Path> certificatePem, Optional<Path> keyPem,
                          String domain, String ipAddress, Supplier<Map<String, String>> carrierCas) {
        this.served = new KeyStoreFile(tlsDir.resolve(SERVED_FILE), password);
        this.selfSigned = new KeyStoreFile(tlsDir.resolve(SELF_SIGNED_FILE), password);
        this.certificatePem = certificatePem;
        this.keyPem = keyPem;
        this.password = password.clone();
        this.domain = domain;
        this.ipAddress = ipAddress;
        this.carrierCas = carrierCas;
    }

    public synchronized State state() {
        return state;
    }

    /** Why the PEM files are not served (empty unless {@link State#BROKEN}). */
    public synchronized String problem() {
        return problem;
    }

    /** The certificate served (null before the first refresh). */
    public synchronized ServerIdentity identity() {
        return identity;
    }

    /** Brings the key store file up to date; never throws (a TLS problem must not stop the trunk). */
    public synchronized void refresh() {
        try {
            ServerIdentity wanted = wantedIdentity();
            if (wanted == null) {
                return; // unchanged PEM files that failed before: logged then
            }
            boolean newIdentity = identity == null || !identity.leaf().equals(wanted.leaf());
            identity = wanted;
            if (served.writeIfChanged(wanted, trustedCarrierCas()) && newIdentity) {
                LOG.info("TLS certificate served (SIP over TLS, HTTPS): " + wanted.describe());
            }
            state = State.SERVING;
            problem = "";
        } catch (TlsMaterialException e) {
            if (!e.getMessage().equals(problem)) {
                LOG.log(Level.SEVERE, "TLS certificate not changed: " + e.getMessage()
                        + (identity == null ? "" : "; still serving " + identity.describe()));
            }
            state = State.BROKEN;
            problem = e.getMessage();
        }
    }

    /** The identity to serve; null when the PEM files are as they were when they last failed. */
    private ServerIdentity wantedIdentity() throws TlsMaterialException {
        if (certificatePem.isPresent() && keyPem.isPresent()) {
            String stamp = stamp(certificatePem.get()) + "|" + stamp(keyPem.get());
            if (stamp.equals(pemStamp)) {
                if (state == State.BROKEN) {
                    return null;
                }
                if (identity != null) {
                    return identity;
                }
            }
            pemStamp = stamp;
            String origin = certificatePem.get() + " and " + keyPem.get();
            List<X509Certificate> chain = PemFiles.certificates(read(certificatePem.get()), certificatePem.get().toString());
            return ServerIdentity.checked(PemFiles.privateKey(read(keyPem.get()), keyPem.get().toString()), chain, origin);
        }
        if (identity != null) {
            return identity;
        }
        Optional<ServerIdentity> made = selfSigned.readIdentity("self-signed");
        if (made.isPresent()) {
            return made.get();
        }
        SelfSignedCertificate.generate(selfSigned.file(), password, domain, ipAddress);
        ServerIdentity generated = selfSigned.readIdentity("self-signed")
                .orElseThrow(() -> new TlsMaterialException("keytool made " + selfSigned.file() + " but it cannot be read"));
        // Printed once, when made: PBX owners pin a self-signed certificate by this fingerprint.
        LOG.warning("TLS: no OT_TLS_CERT/OT_TLS_KEY, generated a self-signed certificate in " + selfSigned.file()
                + ": " + generated.describe());
        return generated;
    }

    private Map<String, X509Certificate> trustedCarrierCas() {
        Map<String, X509Certificate> trusted = new LinkedHashMap<>();
        for (Map.Entry<String, String> carrier : carrierCas.get().entrySet()) {
            try {
                List<X509Certificate> certificates = PemFiles.certificates(carrier.getValue(), "caPem of " + carrier.getKey());
                for (int i = 0; i < certificates.size(); i++) {
                    trusted.put("carrier-" + carrier.getKey() + "-" + i, certificates.get(i));
                }
            } catch (TlsMaterialException e) {
                LOG.warning("TLS: " + e.getMessage() + "; that carrier's CA is not trusted");
            }
        }
        return trusted;
    }

    private static String stamp(Path file) throws TlsMaterialException {
        try {
            return Files.getLastModifiedTime(file).toMillis() + ":" + Files.size(file);
        } catch (IOException e) {
            throw new TlsMaterialException(file + " cannot be read: " + e, e);
        }
    }

    private static String read(Path file) throws TlsMaterialException {
        try {
            if (Files.size(file) > PemFiles.MAX_PEM_CHARS) {
                throw new TlsMaterialException(file + ": longer than " + PemFiles.MAX_PEM_CHARS + " bytes, not a PEM file");
            }
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new TlsMaterialException(file + " cannot be read: " + e, e);
        }
    }

    @Override
    public String toString() {
        return "TlsKeyMaterial[" + served.file() + ", " + Objects.requireNonNullElse(identity, "not loaded") + "]";
    }
}
