package org.opentrunk.core.callerid;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.opentrunk.core.address.LogText;
import org.opentrunk.core.address.Parameter;
import org.opentrunk.core.address.Parameters;
import org.opentrunk.core.address.SipAddress;
import org.opentrunk.core.address.SipUri;

/**
 * ISUP originating line information and jurisdiction information of the caller (IC-OLI), which
 * OpenTrunk passes through in both directions.
 *
 * <p>Neither has a header of its own in SIP; deployed gateways carry them as parameters of the
 * caller's identity headers, under these names:
 * <ul>
 *   <li>OLI (the two ANI II digits: 00 ordinary line, 27/70 payphone, 62 cellular, ...) as
 *       {@code isup-oli} (Sangoma/Dialogic IMG, TelcoBridges option), {@code oli} (3GPP TS 29.163,
 *       TelcoBridges default, the tel URI parameter of draft-mahy-iptel-cpc) or {@code ss7-oli};
 *       Asterisk reads all three;</li>
 *   <li>JIP (jurisdiction: the six-digit NPA-NXX of the originating switch) as {@code jip} on the
 *       P-Asserted-Identity (Ribbon/Sonus);</li>
 * </ul>
 * and in three places: in the user part of a SIP URI with user=phone or on a tel URI
 * ({@code sip:+12065550100;oli=00@host;user=phone}, {@code tel:+12065550100;oli=00}), as a URI
 * parameter ({@code <sip:+12065550100@host;isup-oli=00>}), or as a header parameter
 * ({@code <sip:+12065550100@host>;isup-oli=00}).
 *
 * <p>The rule: the first valid OLI parameter (any of {@link #OLI_NAMES}) and the first valid
 * {@link #JIP} parameter found in the received P-Asserted-Identity, then Remote-Party-ID, then From (the
 * precedence of IC-CLI-OUT), looking in each address at the user part, then the URI, then the
 * header parameters, are copied with the same name, the same value and in the same place onto each
 * identity header OpenTrunk sends (From, and P-Asserted-Identity when it sends one). A user-part
 * parameter needs a number in the user part, so on the anonymous From it becomes a URI parameter.
 * Values that are not {@value #OLI_DIGITS} or {@value #JIP_DIGITS} digits are dropped and noted:
 * no gateway can map them to ISUP, and an unchecked value would be free text from the peer in
 * signalling the carrier trusts. Other parameters (such as {@code cpc}, {@code rn}, {@code npdi})
 * are not passed: they are outside IC-OLI, and {@code rn}/{@code npdi} describe number
 * portability lookups that the carrier makes itself.
 *
 * @param oli the OLI parameter, if one was received
 * @param jip the JIP parameter, if one was received
 */
public record LineInfo(Optional<LineParameter> oli, Optional<LineParameter> jip) {

    public static final LineInfo NONE = new LineInfo(Optional.empty(), Optional.empty());

    /** Names that carry the OLI, lower case. */
    public static final Set<String> OLI_NAMES = Set.of("isup-oli", "oli", "ss7-oli");
    /** The name that carries the JIP, lower case. */
    public static final String JIP = "jip";
    /** OLI (ANI II) values are always two digits (ANSI T1.113 ISUP originating line information). */
    public static final int OLI_DIGITS = 2;
    /** A JIP is an NPA-NXX: six digits (ANSI T1.113 jurisdiction information parameter). */
    public static final int JIP_DIGITS = 6;

    public LineInfo {
        Objects.requireNonNull(oli, "oli");
        Objects.requireNonNull(jip, "jip");
    }

    /** Where in an identity header a parameter sits. */
    public enum Placement {
        /** Inside the user part of a SIP URI, or on a tel URI. */
        USER_PART,
        /** A parameter of the SIP URI. */
        URI,
        /** A parameter of the header value, after the {@code >}. */
        HEADER
    }

    /**
     * One line parameter as received.
     *
     * @param name      lower case, one of {@link #OLI_NAMES} or {@link #JIP}
     * @param value     the digits
     * @param placement where it was received, and where it is sent
     */
    public record LineParameter(String name, String value, Placement placement) {
        public LineParameter {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(placement, "placement");
        }

        Parameter asParameter() {
            return Parameter.of(name, value);
        }
    }

    /**
     * The line information of received identity addresses, given in precedence order.
     *
     * @param notes receives a sentence for each parameter dropped for its value
     */
    static LineInfo collect(List<SipAddress> addresses, List<String> notes) {
        Optional<LineParameter> oli = Optional.empty();
        Optional<LineParameter> jip = Optional.empty();
        for (SipAddress address : addresses) {
            List<Found> candidates = new ArrayList<>();
            address.uri().userParameters().list().forEach(p -> candidates.add(new Found(p, Placement.USER_PART)));
            if (!address.uri().isTel()) {
                address.uri().parameters().list().forEach(p -> candidates.add(new Found(p, Placement.URI)));
            }
            address.headerParameters().list().forEach(p -> candidates.add(new Found(p, Placement.HEADER)));
            for (Found found : candidates) {
                String name = found.parameter.name().toLowerCase(Locale.ROOT);
                if (oli.isEmpty() && OLI_NAMES.contains(name)) {
                    oli = checked(found, name, OLI_DIGITS, notes);
                } else if (jip.isEmpty() && JIP.equals(name)) {
                    jip = checked(found, name, JIP_DIGITS, notes);
                }
            }
        }
        return new LineInfo(oli, jip);
    }

    /** Both parameters, OLI first. */
    public List<LineParameter> parameters() {
        List<LineParameter> all = new ArrayList<>(2);
        oli.ifPresent(all::add);
        jip.ifPresent(all::add);
        return all;
    }

    public boolean isEmpty() {
        return oli.isEmpty() && jip.isEmpty();
    }

    /**
     * {@code address} with the line parameters added where they were received.
     *
     * @param address an identity address OpenTrunk built, without line parameters
     */
    SipAddress applyTo(SipAddress address, boolean userIsNumber) {
        if (isEmpty()) {
            return address;
        }
        SipUri uri = address.uri();
        String user = uri.user().orElse("");
        List<Parameter> uriParameters = new ArrayList<>();
        List<Parameter> headerParameters = new ArrayList<>();
        for (LineParameter p : parameters()) {
            switch (p.placement()) {
                case USER_PART -> {
                    if (userIsNumber) {
                        user = user + p.asParameter().render();
                    } else {
                        uriParameters.add(p.asParameter());
                    }
                }
                case URI -> uriParameters.add(p.asParameter());
                case HEADER -> headerParameters.add(p.asParameter());
            }
        }
        String finalUser = user;
        SipUri withLine = new SipUri(uri.scheme(), uri.user().map(u -> finalUser), uri.host(), uri.port(),
                uri.parameters().with(uriParameters), uri.headers());
        return new SipAddress(address.displayName(), withLine, address.headerParameters().with(headerParameters));
    }

    private static Optional<LineParameter> checked(Found found, String name, int digits, List<String> notes) {
        Optional<String> value = found.parameter.unquotedValue();
        if (value.isPresent() && value.get().length() == digits && value.get().chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of(new LineParameter(name, value.get(), found.placement));
        }
        notes.add("dropped " + name + " parameter " + LogText.quote(found.parameter.render())
                + ": the value must be " + digits + " digits");
        return Optional.empty();
    }

    private record Found(Parameter parameter, Placement placement) {
    }
}
