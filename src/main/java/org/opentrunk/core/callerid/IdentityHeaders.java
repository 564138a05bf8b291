package org.opentrunk.core.callerid;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The received header values that say who is calling, as the SIP stack hands them over: one list
 * element per header line, each possibly holding several comma-separated values. Missing headers
 * are empty lists; {@code null} elements are dropped, so a stack's nulls need no checks upstream.
 *
 * @param pAssertedIdentity {@code P-Asserted-Identity} values (RFC 3325)
 * @param remotePartyId     {@code Remote-Party-ID} values (draft-ietf-sip-privacy-04, still sent by
 *                          Cisco, Asterisk and FreeSWITCH)
 * @param from              the {@code From} value, tag included
 * @param privacy           {@code Privacy} values (RFC 3323)
 */
public record IdentityHeaders(List<String> pAssertedIdentity, List<String> remotePartyId,
                              Optional<String> from, List<String> privacy) {

    public static final IdentityHeaders NONE = new IdentityHeaders(List.of(), List.of(), Optional.empty(), List.of());

    public IdentityHeaders {
        pAssertedIdentity = withoutNulls(pAssertedIdentity);
        remotePartyId = withoutNulls(remotePartyId);
        Objects.requireNonNull(from, "from");
        privacy = withoutNulls(privacy);
    }

    /** A request with only a From header. */
    public static IdentityHeaders from(String from) {
        return NONE.withFrom(from);
    }

    public IdentityHeaders withFrom(String value) {
        return new IdentityHeaders(pAssertedIdentity, remotePartyId, Optional.ofNullable(value), privacy);
    }

    public IdentityHeaders withPAssertedIdentity(String... values) {
        return new IdentityHeaders(Arrays.asList(values), remotePartyId, from, privacy);
    }

    public IdentityHeaders withRemotePartyId(String... values) {
        return new IdentityHeaders(pAssertedIdentity, Arrays.asList(values), from, privacy);
    }

    public IdentityHeaders withPrivacy(String... values) {
        return new IdentityHeaders(pAssertedIdentity, remotePartyId, from, Arrays.asList(values));
    }

    private static List<String> withoutNulls(List<String> values) {
        return values == null ? List.of() : values.stream().filter(Objects::nonNull).toList();
    }
}
