package org.opentrunk.core.settings;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * TLS settings (IC-TLS): the listeners themselves are Liberty's (server.xml, tls.xml, bound from
 * the same variables); OpenTrunk reads them to write its certificate into the key store, to say
 * {@code transport=tls} where it should and to know whether HTTPS is on.
 *
 * @param sipTlsPort   port of SIP over TLS ({@code OT_SIP_TLS_PORT}); 0 = no TLS listener
 * @param httpsPort    port of the admin and API over HTTPS ({@code OT_HTTPS_PORT}); 0 = none
 * @param certificate  the server certificate chain, PEM, leaf first ({@code OT_TLS_CERT}); empty:
 *                     a self-signed certificate generated in the data directory
 * @param privateKey   its private key, unencrypted PKCS#8 PEM ({@code OT_TLS_KEY})
 * @param keyStorePassword protects the key store file Liberty reads ({@code OT_TLS_KEYSTORE_PASSWORD})
 */
public record TlsSettings(int sipTlsPort, int httpsPort, Optional<Path> certificate, Optional<Path> privateKey,
                          String keyStorePassword) {

    public static final int DEFAULT_SIP_TLS_PORT = 5061;
    public static final int DEFAULT_HTTPS_PORT = 9443;
    /** As tls.xml's default; the file is readable by the server's user only, the password is no secret. */
    public static final String DEFAULT_KEYSTORE_PASSWORD = "opentrunk-keystore";
    static final int MIN_KEYSTORE_PASSWORD = 6;

    public boolean sipTlsOn() {
        return sipTlsPort != 0;
    }

    public boolean httpsOn() {
        return httpsPort != 0;
    }

    /** Both or neither of the PEM files: a certificate without its key (or the reverse) is a mistake. */
    static TlsSettings from(Function<String, String> env) {
        int sipTls = (int) TrunkSettings.number(env, "OT_SIP_TLS_PORT", DEFAULT_SIP_TLS_PORT, 0, 65535);
        int https = (int) TrunkSettings.number(env, "OT_HTTPS_PORT", DEFAULT_HTTPS_PORT, 0, 65535);
        Optional<Path> cert = path(env, "OT_TLS_CERT");
        Optional<Path> key = path(env, "OT_TLS_KEY");
        if (cert.isPresent() != key.isPresent()) {
            String missing = cert.isPresent() ? "OT_TLS_KEY" : "OT_TLS_CERT";
            SettingProblems.report(env, new InvalidSettingException(missing, "",
                    "set together with " + (cert.isPresent() ? "OT_TLS_CERT" : "OT_TLS_KEY") + " (a certificate and its key)"));
            cert = Optional.empty();
            key = Optional.empty();
        }
        String password = Optional.ofNullable(env.apply("OT_TLS_KEYSTORE_PASSWORD")).filter(p -> !p.isBlank())
                .orElse(DEFAULT_KEYSTORE_PASSWORD);
        if (password.length() < MIN_KEYSTORE_PASSWORD) {
            SettingProblems.report(env, new InvalidSettingException("OT_TLS_KEYSTORE_PASSWORD", "(hidden)",
                    "at least " + MIN_KEYSTORE_PASSWORD + " characters (keytool's minimum for PKCS12)"));
            password = DEFAULT_KEYSTORE_PASSWORD;
        }
        return new TlsSettings(sipTls, https, cert, key, password);
    }

    private static Optional<Path> path(Function<String, String> env, String name) {
        return Optional.ofNullable(env.apply(name)).map(String::trim).filter(p -> !p.isEmpty()).map(Path::of);
    }

    @Override
    public String toString() {
        return "tls[sipTlsPort=" + sipTlsPort + ", httpsPort=" + httpsPort + ", certificate="
                + certificate.map(Path::toString).orElse("self-signed") + "]";
    }
}
