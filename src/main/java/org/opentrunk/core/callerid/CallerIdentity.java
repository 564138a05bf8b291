package org.opentrunk.core.callerid;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.opentrunk.core.address.AddressParseResult;
import org.opentrunk.core.address.AddressParser;
import org.opentrunk.core.address.LogText;
import org.opentrunk.core.address.SipAddress;
import org.opentrunk.core.address.SipUri;
import org.opentrunk.core.numbering.Country;
import org.opentrunk.core.numbering.E164Number;
import org.opentrunk.core.numbering.NumberParser;
import org.opentrunk.core.numbering.ParseResult;

/**
 * Finds the caller's number and presentation in a received initial INVITE, for either direction.
 *
 * <p>The number (IC-CLI-OUT) comes from the first of {@code P-Asserted-Identity},
 * {@code Remote-Party-ID} (calling-party entries: {@code party=calling} or no party) and {@code From}
 * that carries a valid E.164 number ({@link NumberParser}): the user part of a sip/sips URI, the
 * number of a tel URI. Within a header, the first valid address wins (a PAI may hold a sip and a
 * tel URI, RFC 3325 section 9.1).
 *
 * <p>A header that is present but carries no valid number (an extension such as {@code 201}, a
 * name, {@code anonymous}, garbage) is <em>skipped</em> and the next one tried, with a note for the
 * log. The alternative, treating the caller as unknown, would lose a valid number that a PBX sent
 * in From because it also sent, say, a PAI with the extension of the phone, which FreePBX and 3CX
 * setups do; the note keeps the misconfiguration visible.
 *
 * <p>Privacy (RFC 3323, RFC 3325): the caller is withheld ({@link Presentation#RESTRICTED}) when a
 * {@code Privacy} header holds {@code id}, {@code user} or {@code header}, when a calling-party RPI
 * says {@code privacy=full} or {@code privacy=uri}, or when any identity header carries the
 * anonymous URI ({@code anonymous@...} or {@code ...@anonymous.invalid}). RPI
 * {@code privacy=name} withholds the name only.
 *
 * <p>Display names received are never used (IC-CNAM-OUT: the caller name is not signalled by the
 * customer; IC-CNAM-IN: the name comes from CNAM lookup, not from the carrier's From).
 */
public final class CallerIdentity {

    /** The user part of RFC 3323's anonymous URI, compared ignoring case. */
    public static final String ANONYMOUS_USER = "anonymous";
    /** The host of RFC 3323's anonymous URI, compared ignoring case. */
    public static final String ANONYMOUS_HOST = "anonymous.invalid";

    private static final String PARTY = "party";
    private static final String CALLING = "calling";
    private static final String RPI_PRIVACY = "privacy";
    private static final List<String> RPI_HIDE_NUMBER = List.of("full", "uri");
    private static final String RPI_HIDE_NAME = "name";

    private CallerIdentity() {
    }

    /** Reads {@code headers} from a peer without a country; never throws, whatever they contain. */
    public static IdentifiedCaller identify(IdentityHeaders headers) {
        return identify(headers, Optional.empty());
    }

    /**
     * Reads {@code headers} from a peer in {@code country}: numbers in its national format count
     * as valid and are turned into E.164 before anything else looks at them (IC-COUNTRY, see
     * {@link NumberParser#parse(String, Optional)}). Never throws, whatever they contain.
     */
    public static IdentifiedCaller identify(IdentityHeaders headers, Optional<Country> country) {
        List<String> notes = new ArrayList<>();
        PrivacyValues privacy = PrivacyValues.parse(headers.privacy());
        List<SipAddress> pai = parseAll(headers.pAssertedIdentity(), IdentitySource.P_ASSERTED_IDENTITY, notes);
        List<SipAddress> rpi = parseAll(headers.remotePartyId(), IdentitySource.REMOTE_PARTY_ID, notes).stream()
                .filter(a -> a.headerParameters().value(PARTY).map(CALLING::equalsIgnoreCase).orElse(true))
                .toList();
        List<SipAddress> from = parseAll(headers.from().stream().toList(), IdentitySource.FROM, notes);
        if (from.size() > 1) {
            notes.add("From has " + from.size() + " addresses; only the first is read");
            from = from.subList(0, 1);
        }

        Optional<E164Number> number = Optional.empty();
        IdentitySource source = IdentitySource.NONE;
        search:
        for (IdentitySource candidate : List.of(IdentitySource.P_ASSERTED_IDENTITY, IdentitySource.REMOTE_PARTY_ID,
                IdentitySource.FROM)) {
            List<SipAddress> addresses = switch (candidate) {
                case P_ASSERTED_IDENTITY -> pai;
                case REMOTE_PARTY_ID -> rpi;
                default -> from;
            };
            for (SipAddress address : addresses) {
                Optional<E164Number> found = numberOf(address, candidate, country, notes);
                if (found.isPresent()) {
                    number = found;
                    source = candidate;
                    break search;
                }
            }
        }

        List<SipAddress> all = new ArrayList<>(pai);
        all.addAll(rpi);
        all.addAll(from);
        boolean restricted = privacy.hidesCaller()
                || rpi.stream().anyMatch(a -> a.headerParameters().value(RPI_PRIVACY)
                        .map(v -> RPI_HIDE_NUMBER.contains(v.toLowerCase(Locale.ROOT))).orElse(false))
                || all.stream().anyMatch(CallerIdentity::isAnonymous);
        boolean nameWithheld = rpi.stream().anyMatch(a -> a.headerParameters().value(RPI_PRIVACY)
                .map(RPI_HIDE_NAME::equalsIgnoreCase).orElse(false));
        Presentation presentation = restricted ? Presentation.RESTRICTED
                : number.isPresent() ? Presentation.ALLOWED : Presentation.UNAVAILABLE;
        if (presentation == Presentation.UNAVAILABLE) {
            notes.add("no identity header carries a valid E.164 number; the caller is presented as unavailable");
        }
        LineInfo lineInfo = LineInfo.collect(all, notes);
        return new IdentifiedCaller(number, presentation, source, nameWithheld, privacy, lineInfo, notes);
    }

    /** True for RFC 3323's anonymous URI, or either half of it. */
    static boolean isAnonymous(SipAddress address) {
        SipUri uri = address.uri();
        return uri.isSip() && (uri.userWithoutParameters().map(ANONYMOUS_USER::equalsIgnoreCase).orElse(false)
                || ANONYMOUS_HOST.equalsIgnoreCase(uri.host()));
    }

    private static Optional<E164Number> numberOf(SipAddress address, IdentitySource source, Optional<Country> country,
                                                 List<String> notes) {
        Optional<String> text = address.uri().userWithoutParameters();
        if (text.isEmpty()) {
            notes.add(source.headerName() + " " + LogText.quote(address.render()) + " skipped: the URI has no user part");
            return Optional.empty();
        }
        ParseResult result = NumberParser.parse(text.get(), country);
        if (result instanceof ParseResult.Rejected rejected && !isAnonymous(address)) {
            notes.add(source.headerName() + " " + LogText.quote(address.render()) + " skipped: " + rejected.detail());
        }
        return result.number();
    }

    private static List<SipAddress> parseAll(List<String> values, IdentitySource source, List<String> notes) {
        List<SipAddress> addresses = new ArrayList<>();
        for (String value : values) {
            AddressParseResult result = AddressParser.parse(value);
            if (result instanceof AddressParseResult.Malformed malformed) {
                notes.add(source.headerName() + " skipped: " + malformed.detail());
            }
            addresses.addAll(result.addresses());
        }
        return addresses;
    }
}
