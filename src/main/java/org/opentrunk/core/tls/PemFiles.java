package org.opentrunk.core.tls;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Certificates and keys in PEM text (RFC 7468), read with the JDK alone. */
public final class PemFiles {

    /** Longest PEM text read: a chain of a few certificates is a few KB. */
    public static final int MAX_PEM_CHARS = 256 * 1024;
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** Key algorithms a TLS server key may have, tried in turn on PKCS#8 data. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519");

    private PemFiles() {
    }

    /** Every {@code CERTIFICATE} block in order (a chain: leaf first); none is an error. */
    public static List<X509Certificate> certificates(String pem, String where) throws TlsMaterialException {
        check(pem, where);
        List<X509Certificate> certificates = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                if (m.group(1).equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(
                            new ByteArrayInputStream(decode(m.group(2), where))));
                }
            }
        } catch (CertificateException e) {
            throw new TlsMaterialException(where + ": not a valid X.509 certificate (" + e.getMessage() + ")", e);
        }
        if (certificates.isEmpty()) {
            throw new TlsMaterialException(where + ": no -----BEGIN CERTIFICATE----- block");
        }
        return certificates;
    }

    /**
     * The private key of a {@code PRIVATE KEY} block (unencrypted PKCS#8). The older
     * {@code RSA PRIVATE KEY} / {@code EC PRIVATE KEY} forms are refused with the command that
     * converts them: the JDK reads PKCS#8 only, and no extra library is worth one conversion.
     */
    public static PrivateKey privateKey(String pem, String where) throws TlsMaterialException {
        check(pem, where);
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            if (type.equals("PRIVATE KEY")) {
                byte[] der = decode(m.group(2), where);
                for (String algorithm : KEY_ALGORITHMS) {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                    } catch (GeneralSecurityException notThisOne) {
                        // next algorithm
                    }
                }
                throw new TlsMaterialException(where + ": a PRIVATE KEY block that is no RSA, EC or Ed25519 key");
            }
            if (type.equals("RSA PRIVATE KEY") || type.equals("EC PRIVATE KEY") || type.equals("ENCRYPTED PRIVATE KEY")) {
                throw new TlsMaterialException(where + ": a " + type + " block; OpenTrunk reads unencrypted PKCS#8"
                        + " keys: convert with  openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
            }
        }
        throw new TlsMaterialException(where + ": no -----BEGIN PRIVATE KEY----- block");
    }

    private static void check(String pem, String where) throws TlsMaterialException {
        if (pem.length() > MAX_PEM_CHARS) {
            throw new TlsMaterialException(where + ": longer than " + MAX_PEM_CHARS + " characters, not a PEM file");
        }
    }

    private static byte[] decode(String base64, String where) throws TlsMaterialException {
        try {
            return Base64.getMimeDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new TlsMaterialException(where + ": broken base64 in a PEM block", e);
        }
    }
}
