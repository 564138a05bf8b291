package org.opentrunk.core.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The certificate chain OpenTrunk serves (leaf first) and the leaf's private key.
 *
 * @param origin where it came from, for logs: the PEM files or "self-signed"
 */
public record ServerIdentity(PrivateKey key, List<X509Certificate> chain, String origin) {

    public ServerIdentity {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs its leaf");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** The key must be the leaf's: a mismatch would make every handshake fail, so it is refused up front. */
    public static ServerIdentity checked(PrivateKey key, List<X509Certificate> chain, String origin)
            throws TlsMaterialException {
        ServerIdentity identity = new ServerIdentity(key, chain, origin);
        byte[] probe = "opentrunk key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(identity.leaf().getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new TlsMaterialException(origin + ": the private key is not the certificate's");
            }
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException(origin + ": the private key is not the certificate's (" + e.getMessage() + ")", e);
        }
        return identity;
    }

    /** For logs: subject, expiry and SHA-256 fingerprint. */
    public String describe() {
        X509Certificate leaf = leaf();
        return leaf.getSubjectX500Principal().getName() + ", valid until " + leaf.getNotAfter().toInstant()
                + ", SHA-256 fingerprint " + CertificateFingerprint.sha256(leaf) + " (" + origin + ")";
    }
}
