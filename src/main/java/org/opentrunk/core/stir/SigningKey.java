package org.opentrunk.core.stir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's STIR/SHAKEN signing key: an EC P-256 private key in PEM, as PKCS #8
 * ({@code BEGIN PRIVATE KEY}) or SEC 1 ({@code BEGIN EC PRIVATE KEY}, what
 * {@code openssl ecparam -genkey} writes). SHAKEN allows ES256 only (RFC 8588 section 3).
 */
public final class SigningKey {

    /** A PEM file larger than this is not a key. */
    public static final int MAX_PEM_BYTES = 16 * 1024;
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN (EC PRIVATE KEY|PRIVATE KEY)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    /**
     * The PKCS #8 header of a P-256 key (RFC 5915 section 1, RFC 5480): version 0 and the
     * AlgorithmIdentifier {id-ecPublicKey, prime256v1}; the SEC 1 structure follows as an OCTET STRING.
     */
    private static final byte[] P256_ALGORITHM = {
        0x02, 0x01, 0x00,
        0x30, 0x13, 0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01,
        0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
    /** The field size of P-256, which tells it from other curves. */
    private static final int P256_FIELD_BITS = 256;

    private final ECPrivateKey key;

    private SigningKey(ECPrivateKey key) {
        this.key = key;
    }

    public ECPrivateKey key() {
        return key;
    }

    /** @throws InvalidStirKeyException when the file is unreadable or not an EC P-256 key */
    public static SigningKey read(Path pem) throws InvalidStirKeyException {
        try {
            if (Files.size(pem) > MAX_PEM_BYTES) {
                throw new InvalidStirKeyException(pem + " is larger than " + MAX_PEM_BYTES + " bytes: not a PEM key");
            }
            return parse(Files.readString(pem, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new InvalidStirKeyException("cannot read " + pem + ": " + e.getMessage(), e);
        }
    }

    /** @throws InvalidStirKeyException when the text holds no EC P-256 private key */
    public static SigningKey parse(String pemText) throws InvalidStirKeyException {
        Matcher m = PEM.matcher(pemText);
        if (!m.find()) {
            throw new InvalidStirKeyException("no 'BEGIN PRIVATE KEY' or 'BEGIN EC PRIVATE KEY' block");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new InvalidStirKeyException("the PEM block is not base64", e);
        }
        byte[] pkcs8 = m.group(1).equals("PRIVATE KEY") ? der : sec1ToPkcs8(der);
        try {
            if (!(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)) instanceof ECPrivateKey ec)) {
                throw new InvalidStirKeyException("not an EC key");
            }
            ECParameterSpec params = ec.getParams();
            if (params.getCurve().getField().getFieldSize() != P256_FIELD_BITS) {
                throw new InvalidStirKeyException("an EC key on a " + params.getCurve().getField().getFieldSize()
                        + "-bit curve; SHAKEN signs with P-256 (ES256, RFC 8588 section 3)");
            }
            return new SigningKey(ec);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidStirKeyException("not an EC P-256 private key: " + e.getMessage(), e);
        }
    }

    /** Wraps a SEC 1 ECPrivateKey in PKCS #8 for P-256, the only curve SHAKEN uses. */
    private static byte[] sec1ToPkcs8(byte[] sec1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(P256_ALGORITHM);
        body.write(0x04); // OCTET STRING
        writeLength(body, sec1.length);
        body.writeBytes(sec1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30); // SEQUENCE
        writeLength(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** A DER length (X.690 8.1.3): short form below 128, else long form. */
    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xff);
        }
    }
}
