package org.opentrunk.core.stir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Signs SHAKEN PASSporTs with the operator's key and makes the {@code Identity} header that
 * carries them (IC-STIR). The JWS is Nimbus's; the header and claims JSON are written here in
 * the canonical form of RFC 8225 section 9 (lexicographic keys, no whitespace).
 */
public final class PassportSigner {

    /** RFC 8588 section 3: the only algorithm of SHAKEN. */
    public static final String ALG = "ES256";
    /** RFC 8225 section 4.1. */
    public static final String TYP = "passport";
    /** RFC 8588 section 3. */
    public static final String PPT = "shaken";

    private final ECDSASigner signer;
    private final URI x5u;

    /**
     * @param x5u where the certificate of {@code key} is published, HTTPS (ATIS-1000074 5.3.1)
     * @throws InvalidStirKeyException when the URL is not HTTPS or the key not usable for ES256
     */
    public PassportSigner(SigningKey key, URI x5u) throws InvalidStirKeyException {
        Objects.requireNonNull(key, "key");
        if (x5u == null || !"https".equalsIgnoreCase(x5u.getScheme()) || x5u.getHost() == null) {
            throw new InvalidStirKeyException("the certificate URL (x5u) must be an https URL, got " + x5u);
        }
        this.x5u = x5u;
        try {
            this.signer = new ECDSASigner(key.key());
        } catch (JOSEException e) {
            throw new InvalidStirKeyException("the key cannot sign ES256: " + e.getMessage(), e);
        }
    }

    public URI x5u() {
        return x5u;
    }

    /** The compact JWS of {@code claims} (RFC 7515 section 7.1), full form (RFC 8225 section 7). */
    public String sign(PassportClaims claims) {
        Map<String, Object> header = new TreeMap<>();
        header.put("alg", ALG);
        header.put("ppt", PPT);
        header.put("typ", TYP);
        header.put("x5u", x5u.toString());
        try {
            // Parsed from our own canonical text, the header keeps those bytes in the signing input.
            JWSHeader jwsHeader = JWSHeader.parse(Base64URL.encode(JSONObjectUtils.toJSONString(header)
                    .getBytes(StandardCharsets.UTF_8)));
            JWSObject jws = new JWSObject(jwsHeader, new Payload(claims.toJson()));
            jws.sign(signer);
            return jws.serialize();
        } catch (java.text.ParseException | JOSEException e) {
            throw new IllegalStateException("signing a PASSporT failed", e); // our own header, a checked key
        }
    }

    /** The {@code Identity} header value (RFC 8224 section 4.1; {@code info} is the x5u, RFC 8588 section 3). */
    public String identityHeader(PassportClaims claims) {
        return sign(claims) + ";info=<" + x5u + ">;alg=" + ALG + ";ppt=" + PPT;
    }
}
