package org.opentrunk.core.callerid;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.opentrunk.core.address.Parameters;
import org.opentrunk.core.address.SipAddress;
import org.opentrunk.core.address.SipUri;
import org.opentrunk.core.numbering.E164Number;

/**
 * The caller as {@link CallerIdentity#identify} found it, and the identity headers that present
 * it on the other leg: {@link #toCarrier} for outbound calls, {@link #toCustomer} for inbound ones.
 *
 * <p>Every number OpenTrunk sends is {@code sip:+E164@trunk-domain;user=phone} (IC-CLI-IN,
 * IC-CLI-OUT): the trunk's own domain rather than the sender's host, which would reveal a
 * customer's internal PBX address to a carrier (or a carrier's gateway to a customer) and which a
 * carrier checking the From domain would not recognise; {@code user=phone} so that the user part
 * is read as a telephone number.
 *
 * @param number       the caller's number, if a header carried a valid one
 * @param presentation whether it may be shown
 * @param source       the header it came from
 * @param nameWithheld the caller asked to hide the name only (RPI {@code privacy=name})
 * @param privacy      the received Privacy values
 * @param lineInfo     OLI and JIP to pass on (IC-OLI)
 * @param notes        what was skipped and why, for the log; never on the wire
 */
public record IdentifiedCaller(Optional<E164Number> number, Presentation presentation, IdentitySource source,
                               boolean nameWithheld, PrivacyValues privacy, LineInfo lineInfo, List<String> notes) {

    /** From of a withheld caller: RFC 3323 section 4.1.1.3's anonymous identity. */
    public static final SipAddress ANONYMOUS = new SipAddress(Optional.of("Anonymous"),
            SipUri.sip(CallerIdentity.ANONYMOUS_USER, CallerIdentity.ANONYMOUS_HOST, Parameters.NONE), Parameters.NONE);

    /**
     * From of a caller without a valid number. Not the anonymous URI, which would claim a privacy
     * request the caller never made; {@code .invalid} (RFC 2606) so that nobody tries to call it back.
     */
    public static final SipAddress UNAVAILABLE = new SipAddress(Optional.of("Unavailable"),
            SipUri.sip("unavailable", "unknown.invalid", Parameters.NONE), Parameters.NONE);

    /**
     * Longest display name sent, in characters. CNAM names have at most 15; the bound only keeps
     * a lookup service's odd answer from growing a header without limit.
     */
    public static final int MAX_DISPLAY_NAME_LENGTH = 64;

    public IdentifiedCaller {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(presentation, "presentation");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(privacy, "privacy");
        Objects.requireNonNull(lineInfo, "lineInfo");
        notes = List.copyOf(notes);
        if (presentation == Presentation.ALLOWED && number.isEmpty()) {
            throw new IllegalArgumentException("an allowed presentation needs a number");
        }
    }

    /**
     * The same caller with another number (IC-CALLER-OWNER: a number the customer holds, for an
     * emergency call that presented one it does not). A withheld caller stays withheld.
     */
    public IdentifiedCaller withNumber(E164Number replacement) {
        Presentation shown = presentation == Presentation.RESTRICTED ? Presentation.RESTRICTED : Presentation.ALLOWED;
        List<String> moreNotes = new java.util.ArrayList<>(notes);
        moreNotes.add("number replaced by " + replacement.value() + ", which the customer holds");
        return new IdentifiedCaller(Optional.of(replacement), shown, source, nameWithheld, privacy, lineInfo, moreNotes);
    }

    /**
     * The identity for an outbound call's carrier leg (IC-CLI-OUT, IC-CNAM-OUT).
     *
     * <ul>
     *   <li>{@link Presentation#ALLOWED}: From and P-Asserted-Identity both
     *       {@code "Stored Name" <sip:+E164@domain;user=phone>}; no Privacy.</li>
     *   <li>{@link Presentation#RESTRICTED}: From is {@link #ANONYMOUS}; P-Asserted-Identity keeps
     *       the real number (without a name), if known, for the carrier; {@code Privacy: id} asks the
     *       carrier to withhold it from the called party (RFC 3325 section 9.3).</li>
     *   <li>{@link Presentation#UNAVAILABLE}: From is {@link #UNAVAILABLE}; no P-Asserted-Identity,
     *       as OpenTrunk asserts no identity it does not know. Whether to send such a call at all is
     *       the call path's decision.</li>
     * </ul>
     *
     * @param trunkDomain    the trunk's SIP domain, the host of every number OpenTrunk sends
     * @param storedCnamName the CNAM storage name of {@link #number()}; the customer's own display
     *                       name is never used
     * @throws IllegalArgumentException when {@code trunkDomain} is not a host name or address
     */
    public OutgoingIdentity toCarrier(String trunkDomain, Optional<String> storedCnamName) {
        return switch (presentation) {
            case ALLOWED -> presented(trunkDomain, storedCnamName);
            case RESTRICTED -> new OutgoingIdentity(
                    render(ANONYMOUS, false),
                    number.map(n -> render(numberAddress(n, trunkDomain, Optional.empty()), true)),
                    Optional.of(PrivacyValues.ID));
            case UNAVAILABLE -> new OutgoingIdentity(render(UNAVAILABLE, false), Optional.empty(), Optional.empty());
        };
    }

    /**
     * The identity for an inbound call's customer leg (IC-CLI-IN, IC-CNAM-IN).
     *
     * <ul>
     *   <li>{@link Presentation#ALLOWED}: From and P-Asserted-Identity both
     *       {@code "CNAM Name" <sip:+E164@domain;user=phone>}, no display name without a lookup.</li>
     *   <li>{@link Presentation#RESTRICTED}: From is {@link #ANONYMOUS}, the received Privacy values
     *       go on ({@code id} when the request came another way), and no P-Asserted-Identity: a
     *       customer's PBX is outside OpenTrunk's trust domain, to which RFC 3325 section 5 forbids
     *       passing a withheld identity.</li>
     *   <li>{@link Presentation#UNAVAILABLE}: From is {@link #UNAVAILABLE}; nothing else.</li>
     * </ul>
     *
     * @param trunkDomain the trunk's SIP domain
     * @param cnamName    the CNAM lookup result when the called number has lookup enabled, else empty
     * @throws IllegalArgumentException when {@code trunkDomain} is not a host name or address
     */
    public OutgoingIdentity toCustomer(String trunkDomain, Optional<String> cnamName) {
        return switch (presentation) {
            case ALLOWED -> presented(trunkDomain, cnamName);
            case RESTRICTED -> {
                List<String> kept = privacy.values().stream().filter(v -> !PrivacyValues.NONE.equals(v)).toList();
                String value = privacy.hidesCaller() ? String.join(";", kept) : PrivacyValues.ID;
                yield new OutgoingIdentity(render(ANONYMOUS, false), Optional.empty(), Optional.of(value));
            }
            case UNAVAILABLE -> new OutgoingIdentity(render(UNAVAILABLE, false), Optional.empty(), Optional.empty());
        };
    }

    /**
     * A display name fit for a header: control characters removed, whitespace runs made one space,
     * trimmed, at most {@value #MAX_DISPLAY_NAME_LENGTH} characters; empty if nothing is left.
     */
    public static Optional<String> cleanDisplayName(Optional<String> name) {
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder();
        boolean space = false;
        int kept = 0;
        String text = name.get();
        for (int i = 0; i < text.length() && kept < MAX_DISPLAY_NAME_LENGTH; ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = true;
            } else if (!Character.isISOControl(c) && Character.getType(c) != Character.SURROGATE) {
                if (space && out.length() > 0) {
                    out.append(' ');
                    kept++;
                }
                space = false;
                if (kept < MAX_DISPLAY_NAME_LENGTH) {
                    out.appendCodePoint(c);
                    kept++;
                }
            }
        }
        return out.length() == 0 ? Optional.empty() : Optional.of(out.toString().strip());
    }

    private OutgoingIdentity presented(String trunkDomain, Optional<String> name) {
        String value = render(numberAddress(number.orElseThrow(), trunkDomain,
                nameWithheld ? Optional.empty() : cleanDisplayName(name)), true);
        return new OutgoingIdentity(value, Optional.of(value), Optional.empty());
    }

    private static SipAddress numberAddress(E164Number number, String trunkDomain, Optional<String> name) {
        return new SipAddress(name, SipUri.telephoneNumber(number, trunkDomain), Parameters.NONE);
    }

    private String render(SipAddress address, boolean userIsNumber) {
        return lineInfo.applyTo(address, userIsNumber).render();
    }
}
