package org.opentrunk.core.address;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.opentrunk.core.numbering.E164Number;

/**
 * A {@code sip:}, {@code sips:} or {@code tel:} URI (RFC 3261 section 19.1, RFC 3966), the only
 * schemes that name a telephone number OpenTrunk can normalise. A password in the user info
 * ({@code sip:alice:secret@host}) is dropped when parsing: nothing downstream needs it, and a
 * record that cannot hold one cannot leak one into a log or onto the other leg.
 *
 * @param scheme     {@code sip}, {@code sips} or {@code tel}, lower case
 * @param user       the user part with {@code %XX} escapes resolved, user parameters included
 *                   ({@code +12065550100;npdi}); for {@code tel:} the number, always present
 * @param host       host name, IPv4 address or bracketed IPv6 reference as written; empty for {@code tel:}
 * @param port       the port, if written
 * @param parameters the URI parameters ({@code ;user=phone;transport=tcp}), values as written
 * @param headers    the URI headers after {@code ?}, as written, if any (never for {@code tel:})
 */
public record SipUri(String scheme, Optional<String> user, String host, OptionalInt port,
                     Parameters parameters, Optional<String> headers) {

    public static final String SIP = "sip";
    public static final String SIPS = "sips";
    public static final String TEL = "tel";
    public static final Set<String> SCHEMES = Set.of(SIP, SIPS, TEL);

    /** {@code user=phone}: the user part is a telephone number (RFC 3261 section 19.1.1). */
    public static final Parameter USER_PHONE = Parameter.of("user", "phone");

    public static final int MAX_PORT = 65535;

    /** Unescaped in a rendered SIP user part: RFC 3261 unreserved and user-unreserved characters. */
    private static final String SIP_USER_MARKS = "-_.!~*'()&=+$,;?/";
    /** Unescaped in a rendered tel: number: unreserved characters and {@code +}; {@code ;} starts a parameter. */
    private static final String TEL_NUMBER_MARKS = "-_.!~*'()+";

    public SipUri {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(headers, "headers");
        if (!SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("scheme must be sip, sips or tel, not " + LogText.quote(scheme));
        }
        if (user.isPresent() && (user.get().isEmpty() || !Syntax.isCleanText(user.get()))) {
            throw new IllegalArgumentException("user part is empty or has control characters: " + LogText.quote(user.get()));
        }
        if (port.isPresent() && (port.getAsInt() < 1 || port.getAsInt() > MAX_PORT)) {
            throw new IllegalArgumentException("port out of range: " + port.getAsInt());
        }
        for (Parameter p : parameters.list()) {
            if (p.value().isPresent() && !Syntax.isParameterValue(p.value().get(), true)) {
                throw new IllegalArgumentException("not a URI parameter value: " + LogText.quote(p.value().get()));
            }
        }
        if (headers.isPresent() && !Syntax.isUriHeaders(headers.get())) {
            throw new IllegalArgumentException("not URI headers: " + LogText.quote(headers.get()));
        }
        if (TEL.equals(scheme)) {
            if (user.isEmpty() || !host.isEmpty() || port.isPresent() || headers.isPresent()) {
                throw new IllegalArgumentException("a tel: URI is a number and parameters only");
            }
        } else if (!Syntax.isHost(host)) {
            throw new IllegalArgumentException("not a host: " + LogText.quote(host));
        }
    }

    /** {@code sip:user@host;parameters}. */
    public static SipUri sip(String user, String host, Parameters parameters) {
        return new SipUri(SIP, Optional.of(user), host, OptionalInt.empty(), parameters, Optional.empty());
    }

    /**
     * The URI OpenTrunk emits for a telephone number: {@code sip:+12066418000@host;user=phone}
     * (IC-RURI, IC-CLI-IN, IC-CLI-OUT): E.164 with {@code +} in the user part, and {@code user=phone}
     * so that a gateway reads the user part as a number, not as a name that looks like one.
     */
    public static SipUri telephoneNumber(E164Number number, String host) {
        return sip(number.value(), host, Parameters.of(USER_PHONE));
    }

    /** True for {@code sip:} and {@code sips:}. */
    public boolean isSip() {
        return SIP.equals(scheme) || SIPS.equals(scheme);
    }

    public boolean isTel() {
        return TEL.equals(scheme);
    }

    /**
     * The part of the user that names someone, without user parameters: {@code +12065550100} for
     * {@code sip:+12065550100;npdi@host}, the number of a {@code tel:} URI.
     */
    public Optional<String> userWithoutParameters() {
        return user.map(u -> {
            int semicolon = u.indexOf(';');
            return semicolon < 0 ? u : u.substring(0, semicolon);
        });
    }

    /**
     * The parameters inside the user part, as in {@code sip:+12065550100;isup-oli=00@host}
     * (telephone-subscriber parameters, RFC 3966); pieces that are not parameters are skipped.
     * For a {@code tel:} URI these are its {@link #parameters()}.
     */
    public Parameters userParameters() {
        if (isTel()) {
            return parameters;
        }
        String u = user.orElse("");
        int semicolon = u.indexOf(';');
        if (semicolon < 0) {
            return Parameters.NONE;
        }
        List<Parameter> found = new ArrayList<>();
        for (String piece : u.substring(semicolon + 1).split(";")) {
            int equals = piece.indexOf('=');
            String name = equals < 0 ? piece : piece.substring(0, equals);
            Optional<String> value = equals < 0 ? Optional.empty() : Optional.of(piece.substring(equals + 1));
            if (Syntax.isParameterName(name) && value.map(v -> Syntax.isParameterValue(v, true)).orElse(true)) {
                found.add(new Parameter(name, value));
            }
        }
        return new Parameters(found);
    }

    /** This URI with other parameters. */
    public SipUri withParameters(Parameters newParameters) {
        return new SipUri(scheme, user, host, port, newParameters, headers);
    }

    /** The URI as text, user part escaped where RFC 3261 requires it (a {@code #} becomes {@code %23}). */
    public String render() {
        StringBuilder out = new StringBuilder(scheme).append(':');
        if (isTel()) {
            out.append(UriEscapes.encode(user.orElseThrow(), c -> isAlphanumeric(c) || TEL_NUMBER_MARKS.indexOf(c) >= 0));
        } else {
            user.ifPresent(u -> out.append(UriEscapes.encode(u, c -> isAlphanumeric(c) || SIP_USER_MARKS.indexOf(c) >= 0))
                    .append('@'));
            out.append(host);
            port.ifPresent(p -> out.append(':').append(p));
        }
        out.append(parameters.render());
        headers.ifPresent(h -> out.append('?').append(h));
        return out.toString();
    }

    @Override
    public String toString() {
        return render();
    }

    private static boolean isAlphanumeric(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    /** The lower-case form of a scheme as written. */
    static String canonicalScheme(String scheme) {
        return scheme.toLowerCase(Locale.ROOT);
    }
}
