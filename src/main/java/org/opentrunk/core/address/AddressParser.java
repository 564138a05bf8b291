package org.opentrunk.core.address;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads a header value of name-addr / addr-spec form (RFC 3261 sections 20 and 25.1) as the SIP
 * stack hands it over: {@code "Doe, John" <sip:+12065550100@pbx.example.com;user=phone>;tag=1a2b},
 * {@code <tel:+12065550100>}, {@code sip:12065550100@10.0.0.5}, or several of those separated by
 * commas (a {@code P-Asserted-Identity} with a sip and a tel URI, stacked {@code Diversion}
 * entries). Commas inside quoted strings and angle brackets do not separate addresses.
 *
 * <p>Lenient where deployed PBXs differ without harm (unquoted display names of any characters,
 * whitespace around separators, a {@code #} left unescaped in a user part, empty list elements),
 * strict where a value could break what OpenTrunk writes on the other leg (control characters,
 * unbalanced quotes or brackets, bad escapes). Never throws: every input gives a
 * {@link AddressParseResult}.
 */
public final class AddressParser {

    /**
     * Longest header value read. A From, PAI or Diversion value is well under 300 characters;
     * the bound keeps the work per value small whatever a peer sends.
     */
    public static final int MAX_LENGTH = 2048;
    /** Most addresses in one header value; RFC 3325 allows two PAI URIs, Diversion a handful. */
    public static final int MAX_ADDRESSES = 16;
    /** Most parameters in one URI or one address's header parameters. */
    public static final int MAX_PARAMETERS = 32;

    private AddressParser() {
    }

    /**
     * Parses one header value.
     *
     * @param headerValue the text after {@code Name:}; {@code null} reads as missing
     */
    public static AddressParseResult parse(String headerValue) {
        if (headerValue == null || headerValue.isBlank()) {
            return new AddressParseResult.Malformed(AddressProblem.EMPTY, "header value is empty");
        }
        if (headerValue.length() > MAX_LENGTH) {
            return new AddressParseResult.Malformed(AddressProblem.TOO_LONG, "header value has "
                    + headerValue.length() + " characters; at most " + MAX_LENGTH + " are read");
        }
        int lone = Syntax.loneSurrogate(headerValue);
        if (lone >= 0) {
            return new AddressParseResult.Malformed(AddressProblem.INVALID_CHARACTER,
                    "half a surrogate pair at position " + lone + " of " + LogText.quote(headerValue));
        }
        try {
            List<SipAddress> addresses = new ArrayList<>();
            for (String element : split(headerValue)) {
                Optional<SipAddress> address = new Element(element).address();
                if (address.isPresent()) {
                    if (addresses.size() == MAX_ADDRESSES) {
                        throw new Failure(AddressProblem.TOO_MANY, "more than " + MAX_ADDRESSES + " addresses");
                    }
                    addresses.add(address.get());
                }
            }
            if (addresses.isEmpty()) {
                throw new Failure(AddressProblem.EMPTY, "no address, only empty list elements");
            }
            return new AddressParseResult.Parsed(addresses);
        } catch (Failure failure) {
            return new AddressParseResult.Malformed(failure.problem,
                    failure.getMessage() + " in " + LogText.quote(headerValue));
        }
    }

    /** Splits at commas outside quoted strings and angle brackets. */
    private static List<String> split(String value) throws Failure {
        List<String> elements = new ArrayList<>();
        boolean inQuotes = false;
        boolean inAngle = false;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (inQuotes) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inQuotes = false;
                }
            } else if (inAngle) {
                if (c == '>') {
                    inAngle = false;
                }
            } else if (c == '"') {
                inQuotes = true;
            } else if (c == '<') {
                inAngle = true;
            } else if (c == ',') {
                elements.add(value.substring(start, i));
                start = i + 1;
            }
        }
        if (inQuotes) {
            throw new Failure(AddressProblem.UNTERMINATED_QUOTE, "a quoted string has no closing quote");
        }
        if (inAngle) {
            throw new Failure(AddressProblem.UNTERMINATED_ANGLE, "a '<' has no closing '>'");
        }
        elements.add(value.substring(start));
        return elements;
    }

    /** One comma-separated element, read with a cursor. */
    private static final class Element {
        private final String text;
        private int at;

        Element(String text) {
            this.text = text;
        }

        /** The address, or empty for an empty list element. */
        Optional<SipAddress> address() throws Failure {
            skipWhitespace();
            if (atEnd()) {
                return Optional.empty();
            }
            Optional<String> displayName = Optional.empty();
            boolean nameAddr;
            if (peek() == '"') {
                String name = quotedDisplayName();
                displayName = name.isEmpty() ? Optional.empty() : Optional.of(name);
                skipWhitespace();
                if (atEnd() || peek() != '<') {
                    throw new Failure(AddressProblem.BAD_DISPLAY_NAME, "a quoted display name is not followed by <URI>");
                }
                nameAddr = true;
            } else {
                int angle = indexOfUnquoted('<');
                nameAddr = angle >= 0;
                if (nameAddr) {
                    displayName = plainDisplayName(text.substring(at, angle));
                    at = angle;
                }
            }
            SipUri uri;
            if (nameAddr) {
                int close = text.indexOf('>', at);
                if (close < 0) {
                    throw new Failure(AddressProblem.UNTERMINATED_ANGLE, "a '<' has no closing '>'");
                }
                uri = new UriReader(trimWhitespace(text.substring(at + 1, close))).uri();
                at = close + 1;
            } else {
                int start = at;
                while (!atEnd() && peek() != ';' && !Syntax.isWhitespace(peek())) {
                    at++;
                }
                uri = new UriReader(text.substring(start, at)).uri();
            }
            return Optional.of(new SipAddress(displayName, uri, headerParameters()));
        }

        private String quotedDisplayName() throws Failure {
            StringBuilder name = new StringBuilder();
            at++; // opening quote
            while (!atEnd()) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return name.toString();
                }
                if (c == '\\') {
                    if (atEnd()) {
                        break;
                    }
                    c = text.charAt(at++);
                }
                if (Syntax.isControl(c) && c != '\t') {
                    throw new Failure(AddressProblem.INVALID_CHARACTER, "control character in a display name");
                }
                name.append(c);
            }
            throw new Failure(AddressProblem.UNTERMINATED_QUOTE, "a quoted display name has no closing quote");
        }

        /** Words before {@code <}: runs of whitespace become one space. */
        private Optional<String> plainDisplayName(String raw) throws Failure {
            StringBuilder name = new StringBuilder();
            boolean space = false;
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (Syntax.isWhitespace(c)) {
                    space = true;
                    continue;
                }
                if (c == '"' || c == '>' || Syntax.isControl(c)) {
                    throw new Failure(c == '"' || c == '>' ? AddressProblem.BAD_DISPLAY_NAME : AddressProblem.INVALID_CHARACTER,
                            "display name " + LogText.quote(raw) + " is neither a quoted string nor plain words");
                }
                if (space && name.length() > 0) {
                    name.append(' ');
                }
                space = false;
                name.append(c);
            }
            return name.length() == 0 ? Optional.empty() : Optional.of(name.toString());
        }

        private Parameters headerParameters() throws Failure {
            List<Parameter> parameters = new ArrayList<>();
            while (true) {
                skipWhitespace();
                if (atEnd()) {
                    return new Parameters(parameters);
                }
                if (peek() != ';') {
                    throw new Failure(AddressProblem.UNEXPECTED_CHARACTER, "unexpected " + LogText.quote(String.valueOf(peek()))
                            + " after an address; expected ';' or ','");
                }
                at++;
                skipWhitespace();
                if (atEnd() || peek() == ';') {
                    continue; // an empty parameter, as in "tag=1;;x" or a trailing ';'
                }
                int start = at;
                while (!atEnd() && Syntax.isParameterNameChar(peek())) {
                    at++;
                }
                String name = text.substring(start, at);
                if (name.isEmpty()) {
                    throw new Failure(AddressProblem.BAD_PARAMETER, "a header parameter has no name");
                }
                skipWhitespace();
                Optional<String> value = Optional.empty();
                if (!atEnd() && peek() == '=') {
                    at++;
                    skipWhitespace();
                    value = Optional.of(atEnd() || peek() != '"' ? unquotedValue(name) : quotedValue(name));
                }
                if (parameters.size() == MAX_PARAMETERS) {
                    throw new Failure(AddressProblem.TOO_MANY, "more than " + MAX_PARAMETERS + " header parameters");
                }
                parameters.add(new Parameter(name, value));
            }
        }

        private String unquotedValue(String name) throws Failure {
            int start = at;
            while (!atEnd() && Syntax.isParameterValueChar(peek(), false)) {
                at++;
            }
            if (start == at) {
                throw new Failure(AddressProblem.BAD_PARAMETER, "header parameter " + LogText.quote(name) + " has an empty or invalid value");
            }
            return text.substring(start, at);
        }

        /** A quoted value as written, quotes included. */
        private String quotedValue(String name) throws Failure {
            int start = at;
            at++;
            while (!atEnd()) {
                char c = text.charAt(at++);
                if (c == '"') {
                    String raw = text.substring(start, at);
                    if (!Syntax.isQuotedString(raw)) {
                        throw new Failure(AddressProblem.INVALID_CHARACTER, "control character in the value of " + LogText.quote(name));
                    }
                    return raw;
                }
                if (c == '\\' && !atEnd()) {
                    at++;
                }
            }
            throw new Failure(AddressProblem.UNTERMINATED_QUOTE, "the value of " + LogText.quote(name) + " has no closing quote");
        }

        private int indexOfUnquoted(char wanted) {
            boolean inQuotes = false;
            for (int i = at; i < text.length(); i++) {
                char c = text.charAt(i);
                if (inQuotes) {
                    if (c == '\\') {
                        i++;
                    } else if (c == '"') {
                        inQuotes = false;
                    }
                } else if (c == '"') {
                    inQuotes = true;
                } else if (c == wanted) {
                    return i;
                }
            }
            return -1;
        }

        private char peek() {
            return text.charAt(at);
        }

        private boolean atEnd() {
            return at >= text.length();
        }

        private void skipWhitespace() {
            while (!atEnd() && Syntax.isWhitespace(peek())) {
                at++;
            }
        }
    }

    /** Reads one URI: the text between angle brackets, or an addr-spec up to its first {@code ;}. */
    private static final class UriReader {
        private final String text;
        private int at;

        UriReader(String text) {
            this.text = text;
        }

        SipUri uri() throws Failure {
            if (text.isEmpty()) {
                throw new Failure(AddressProblem.MISSING_SCHEME, "empty URI");
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Syntax.isWhitespace(c) || Syntax.isControl(c)) {
                    throw new Failure(Syntax.isControl(c) && !Syntax.isWhitespace(c) ? AddressProblem.INVALID_CHARACTER : AddressProblem.BAD_URI,
                            "whitespace or control character inside URI " + LogText.quote(text));
                }
            }
            int colon = text.indexOf(':');
            if (colon <= 0 || !isScheme(text.substring(0, colon))) {
                throw new Failure(AddressProblem.MISSING_SCHEME, "URI " + LogText.quote(text) + " does not start with a scheme");
            }
            String scheme = SipUri.canonicalScheme(text.substring(0, colon));
            at = colon + 1;
            return switch (scheme) {
                case SipUri.SIP, SipUri.SIPS -> sip(scheme);
                case SipUri.TEL -> tel();
                default -> throw new Failure(AddressProblem.UNSUPPORTED_SCHEME,
                        "scheme " + LogText.quote(scheme) + " is not sip, sips or tel");
            };
        }

        private SipUri sip(String scheme) throws Failure {
            Optional<String> user = Optional.empty();
            int atSign = text.indexOf('@', at);
            if (atSign >= 0) {
                String userInfo = text.substring(at, atSign);
                int colon = userInfo.indexOf(':');
                String rawUser = colon < 0 ? userInfo : userInfo.substring(0, colon); // a password is dropped
                user = Optional.of(decodeUser(rawUser));
                at = atSign + 1;
            }
            String host = host();
            OptionalInt port = OptionalInt.empty();
            if (!atEnd() && peek() == ':') {
                at++;
                port = OptionalInt.of(port());
            }
            Parameters parameters = uriParameters();
            Optional<String> headers = Optional.empty();
            if (!atEnd() && peek() == '?') {
                String raw = text.substring(at + 1);
                if (!Syntax.isUriHeaders(raw)) {
                    throw new Failure(AddressProblem.BAD_URI, "URI headers " + LogText.quote(raw) + " are empty or have invalid characters");
                }
                headers = Optional.of(raw);
                at = text.length();
            }
            if (!atEnd()) {
                throw new Failure(AddressProblem.BAD_URI, "unexpected " + LogText.quote(text.substring(at)) + " in URI " + LogText.quote(text));
            }
            return new SipUri(scheme, user, host, port, parameters, headers);
        }

        private SipUri tel() throws Failure {
            int start = at;
            while (!atEnd() && peek() != ';') {
                at++;
            }
            String number = decodeUser(text.substring(start, at));
            Parameters parameters = uriParameters();
            if (!atEnd()) {
                throw new Failure(AddressProblem.BAD_URI, "unexpected " + LogText.quote(text.substring(at)) + " in tel URI " + LogText.quote(text));
            }
            return new SipUri(SipUri.TEL, Optional.of(number), "", OptionalInt.empty(), parameters, Optional.empty());
        }

        private String decodeUser(String raw) throws Failure {
            if (raw.isEmpty()) {
                throw new Failure(AddressProblem.BAD_URI, "empty user part in URI " + LogText.quote(text));
            }
            for (int i = 0; i < raw.length(); i++) {
                if ("<>\"".indexOf(raw.charAt(i)) >= 0) {
                    throw new Failure(AddressProblem.BAD_URI, "user part " + LogText.quote(raw) + " has " + raw.charAt(i));
                }
            }
            Optional<String> decoded = UriEscapes.decode(raw);
            if (decoded.isEmpty()) {
                throw new Failure(AddressProblem.BAD_ESCAPE, "user part " + LogText.quote(raw) + " has a bad %-escape");
            }
            if (!Syntax.isCleanText(decoded.get())) {
                throw new Failure(AddressProblem.INVALID_CHARACTER, "user part " + LogText.quote(raw) + " escapes a control character");
            }
            return decoded.get();
        }

        private String host() throws Failure {
            int start = at;
            if (!atEnd() && peek() == '[') {
                int close = text.indexOf(']', at);
                if (close < 0) {
                    throw new Failure(AddressProblem.BAD_URI, "IPv6 reference without ']' in URI " + LogText.quote(text));
                }
                at = close + 1;
            } else {
                while (!atEnd() && Syntax.isHostChar(peek())) {
                    at++;
                }
            }
            String host = text.substring(start, at);
            if (!Syntax.isHost(host)) {
                throw new Failure(AddressProblem.BAD_URI, "no valid host in URI " + LogText.quote(text));
            }
            return host;
        }

        private int port() throws Failure {
            int start = at;
            while (!atEnd() && peek() >= '0' && peek() <= '9' && at - start < 5) {
                at++;
            }
            int port = start == at ? 0 : Integer.parseInt(text.substring(start, at));
            if (port < 1 || port > SipUri.MAX_PORT) {
                throw new Failure(AddressProblem.BAD_URI, "no valid port in URI " + LogText.quote(text));
            }
            return port;
        }

        private Parameters uriParameters() throws Failure {
            List<Parameter> parameters = new ArrayList<>();
            while (!atEnd() && peek() == ';') {
                at++;
                int start = at;
                while (!atEnd() && Syntax.isParameterNameChar(peek())) {
                    at++;
                }
                String name = text.substring(start, at);
                Optional<String> value = Optional.empty();
                if (!atEnd() && peek() == '=') {
                    at++;
                    int valueStart = at;
                    while (!atEnd() && Syntax.isParameterValueChar(peek(), true)) {
                        at++;
                    }
                    if (valueStart == at) {
                        throw new Failure(AddressProblem.BAD_PARAMETER, "URI parameter " + LogText.quote(name) + " has an empty or invalid value");
                    }
                    value = Optional.of(text.substring(valueStart, at));
                }
                if (name.isEmpty()) {
                    if (value.isPresent()) {
                        throw new Failure(AddressProblem.BAD_PARAMETER, "a URI parameter has no name");
                    }
                    continue; // ";;"
                }
                if (parameters.size() == MAX_PARAMETERS) {
                    throw new Failure(AddressProblem.TOO_MANY, "more than " + MAX_PARAMETERS + " URI parameters");
                }
                parameters.add(new Parameter(name, value));
            }
            return new Parameters(parameters);
        }

        private static boolean isScheme(String s) {
            char first = s.charAt(0);
            if (!(first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z')) {
                return false;
            }
            return s.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '+' || c == '-' || c == '.');
        }

        private char peek() {
            return text.charAt(at);
        }

        private boolean atEnd() {
            return at >= text.length();
        }
    }

    private static String trimWhitespace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && Syntax.isWhitespace(s.charAt(start))) {
            start++;
        }
        while (end > start && Syntax.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Ends parsing of one value; cheap, as it carries no stack trace. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final AddressProblem problem;

        Failure(AddressProblem problem, String message) {
            super(message, null, false, false);
            this.problem = problem;
        }
    }
}
