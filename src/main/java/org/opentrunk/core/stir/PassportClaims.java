package org.opentrunk.core.stir;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * The claims of a SHAKEN PASSporT (RFC 8225 section 5, RFC 8588 section 4).
 *
 * @param attest     the attestation level
 * @param destTns    called numbers, canonical (digits only, RFC 8224 section 8.3); at least one
 * @param origTn     the caller number, canonical
 * @param origid     the origination identifier: a UUID, stable per customer (ATIS-1000074 5.2.4)
 * @param iatSeconds issued-at, seconds since the epoch (a JSON number, RFC 8225 section 5.1.1)
 */
public record PassportClaims(Attestation attest, List<String> destTns, String origTn, String origid, long iatSeconds) {

    /** RFC 8224 section 8.3: a canonical telephone number is its digits alone. */
    private static final Pattern CANONICAL_TN = Pattern.compile("[0-9]{1,15}");
    /** ATIS-1000074 5.2.4: origid is a UUID (RFC 4122) in its text form. */
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** @throws IllegalArgumentException when a number is not canonical or origid is not a UUID */
    public PassportClaims {
        Objects.requireNonNull(attest, "attest");
        destTns = List.copyOf(destTns);
        if (destTns.isEmpty()) {
            throw new IllegalArgumentException("a PASSporT names at least one called number");
        }
        for (String tn : destTns) {
            requireCanonical(tn, "dest.tn");
        }
        requireCanonical(origTn, "orig.tn");
        if (origid == null || !UUID_TEXT.matcher(origid).matches()) {
            throw new IllegalArgumentException("origid must be a UUID, got " + origid);
        }
    }

    /** The canonical form of a {@code +} E.164 number: its digits (RFC 8224 section 8.3). */
    public static String canonical(String e164) {
        String digits = e164.startsWith("+") ? e164.substring(1) : e164;
        requireCanonical(digits, "number");
        return digits;
    }

    /**
     * The claims as JSON with keys in lexicographic order and no whitespace (RFC 8225 section 9,
     * which RFC 8588 keeps), so that any verifier that rebuilds it gets the same bytes.
     */
    public String toJson() {
        Map<String, Object> claims = new TreeMap<>();
        claims.put("attest", attest.name());
        claims.put("dest", new TreeMap<>(Map.of("tn", destTns)));
        claims.put("iat", iatSeconds);
        claims.put("orig", new TreeMap<>(Map.of("tn", origTn)));
        claims.put("origid", origid);
        return JSONObjectUtils.toJSONString(claims);
    }

    private static void requireCanonical(String tn, String what) {
        if (tn == null || !CANONICAL_TN.matcher(tn).matches()) {
            throw new IllegalArgumentException(what + " must be 1 to 15 digits (RFC 8224 section 8.3), got " + tn);
        }
    }
}
