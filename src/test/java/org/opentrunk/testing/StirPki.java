package org.opentrunk.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small STIR/SHAKEN PKI made by the tests (IC-STIR): an STI-CA root, and signing certificates
 * it issues, EC P-256 like SHAKEN's. Everything is generated in memory; PEM text for files.
 */
public final class StirPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key and its certificate. */
    public record Issued(KeyPair keys, X509Certificate certificate) {
        /** The certificate as PEM. */
        public String certificatePem() {
            return pem(certificate);
        }

        /** The private key as PKCS #8 PEM ("BEGIN PRIVATE KEY"). */
        public String privateKeyPem() {
            return pem(keys.getPrivate());
        }
    }

    private StirPki() {
    }

    public static KeyPair p256() {
        return ecKey("secp256r1");
    }

    public static KeyPair ecKey(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed CA certificate valid from an hour ago for a year. */
    public static Issued root(String name) {
        KeyPair keys = p256();
        return new Issued(keys, certificate(name, keys, name, keys, true, Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(365))));
    }

    /** A signing (end-entity) certificate issued by {@code ca}, valid from an hour ago for a day. */
    public static Issued signer(Issued ca, String name) {
        return signer(ca, name, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)));
    }

    public static Issued signer(Issued ca, String name, Instant from, Instant until) {
        KeyPair keys = p256();
        String issuer = ca.certificate().getSubjectX500Principal().getName();
        return new Issued(keys, certificate(name, keys, issuer, ca.keys(), false, from, until));
    }

    /** A TLS server certificate for {@code ip} (subjectAltName iPAddress) issued by {@code ca}. */
    public static Issued tlsServer(Issued ca, String ip) {
        KeyPair keys = p256();
        String issuer = ca.certificate().getSubjectX500Principal().getName();
        return new Issued(keys, certificate("CN=" + ip, keys, issuer, ca.keys(), false, Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(1)), ip));
    }

    /** A TLS server certificate for the host name {@code dnsName} (subjectAltName dNSName only) issued by {@code ca}. */
    public static Issued tlsServerNamed(Issued ca, String dnsName) {
        KeyPair keys = p256();
        String issuer = ca.certificate().getSubjectX500Principal().getName();
        return new Issued(keys, certificate("CN=" + dnsName, keys, issuer, ca.keys(), false, Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(1)), new org.bouncycastle.asn1.x509.GeneralName(
                        org.bouncycastle.asn1.x509.GeneralName.dNSName, dnsName)));
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
                                               boolean ca, Instant from, Instant until) {
        return certificate(subject, subjectKeys, issuer, issuerKeys, ca, from, until, (String) null);
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
                                               boolean ca, Instant from, Instant until, String ipAddress) {
        return certificate(subject, subjectKeys, issuer, issuerKeys, ca, from, until, ipAddress == null ? null
                : new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.iPAddress, ipAddress));
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
                                               boolean ca, Instant from, Instant until,
                                               org.bouncycastle.asn1.x509.GeneralName altName) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(dn(issuer)),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(until),
                    new X500Name(dn(subject)), subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature));
            if (altName != null) {
                b.addExtension(Extension.subjectAlternativeName, false, new org.bouncycastle.asn1.x509.GeneralNames(altName));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    private static String dn(String name) {
        return name.contains("=") ? name : "CN=" + name;
    }

    public static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object instanceof java.security.PrivateKey key
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : new JcaMiscPEMGenerator(object));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** The private key in SEC 1 PEM ("BEGIN EC PRIVATE KEY"), as openssl ecparam writes it. */
    public static String sec1Pem(KeyPair keys) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(keys); // BC writes a key pair as a SEC 1 "EC PRIVATE KEY"
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
