package org.opentrunk.core.registrar;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.opentrunk.core.address.AddressParseResult;
import org.opentrunk.core.address.AddressParser;
import org.opentrunk.core.address.Parameter;
import org.opentrunk.core.address.Parameters;
import org.opentrunk.core.address.SipUri;

/**
 * Which URIs a customer may register, and when two of them name the same binding.
 *
 * <p>Only plain {@code sip:} URIs are bindable: OpenTrunk sends inbound
 * calls over UDP or TCP (IC-IPV4), so a {@code sips:} contact, which demands TLS, could never be
 * reached, and a {@code tel:} contact names no SIP endpoint at all.
 */
public final class ContactUris {

    /**
     * URI parameters that make two URIs different when only one of them has it (RFC 3261 section
     * 19.1.4). Every other parameter is compared only when both URIs have it.
     */
    private static final Set<String> PARAMETERS_THAT_MUST_MATCH = Set.of("transport", "user", "ttl", "method", "maddr");

    private ContactUris() {
    }

    /** The URI of bindable contact text ({@code sip:100@192.0.2.5:5060;transport=udp}), or empty. */
    public static Optional<SipUri> parse(String uriText) {
        if (uriText == null || uriText.isEmpty() || uriText.length() > Binding.MAX_CONTACT_URI_LENGTH
                || uriText.indexOf('<') >= 0 || uriText.indexOf('>') >= 0) {
            return Optional.empty();
        }
        AddressParseResult parsed = AddressParser.parse("<" + uriText + ">");
        if (parsed.addresses().size() != 1) {
            return Optional.empty();
        }
        SipUri uri = parsed.addresses().get(0).uri();
        return isBindable(uri) ? Optional.of(uri) : Optional.empty();
    }

    /** True for a plain {@code sip:} URI. */
    public static boolean isBindable(SipUri uri) {
        return SipUri.SIP.equals(uri.scheme());
    }

    /**
     * RFC 3261 section 19.1.4, as far as contacts need it: scheme and host ignore case, the user
     * part is compared after unescaping and with case, a port that is written differs from one
     * left out (even 5060), and URI headers must match. Parameter values ignore case.
     */
    public static boolean sameBinding(SipUri a, SipUri b) {
        return a.scheme().equalsIgnoreCase(b.scheme())
                && a.user().equals(b.user())
                && a.host().equalsIgnoreCase(b.host())
                && a.port().equals(b.port())
                && sameParameters(a.parameters(), b.parameters())
                && headerSet(a).equals(headerSet(b));
    }

    private static boolean sameParameters(Parameters a, Parameters b) {
        for (Parameter p : a.list()) {
            Optional<Parameter> other = b.find(p.name());
            boolean mustMatch = PARAMETERS_THAT_MUST_MATCH.contains(p.name().toLowerCase(Locale.ROOT));
            if (other.isEmpty() ? mustMatch : !sameValue(p, other.get())) {
                return false;
            }
        }
        // What b has and a lacks: only the must-match ones make a difference.
        return b.list().stream().noneMatch(p -> !a.has(p.name())
                && PARAMETERS_THAT_MUST_MATCH.contains(p.name().toLowerCase(Locale.ROOT)));
    }

    private static boolean sameValue(Parameter a, Parameter b) {
        Optional<String> va = a.unquotedValue();
        Optional<String> vb = b.unquotedValue();
        return va.isPresent() == vb.isPresent() && (va.isEmpty() || va.get().equalsIgnoreCase(vb.get()));
    }

    /** URI headers compare as a set: their order does not matter. */
    private static Set<String> headerSet(SipUri uri) {
        return uri.headers().map(h -> new TreeSet<>(Arrays.asList(h.split("&")))).map(s -> (Set<String>) s)
                .orElse(Set.of());
    }
}
