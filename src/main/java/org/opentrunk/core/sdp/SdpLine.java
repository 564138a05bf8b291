package org.opentrunk.core.sdp;

import java.util.Objects;
import java.util.Optional;

/**
 * One line of a session description, {@code <type>=<value>}, without its line ending. The value is
 * kept exactly as received, so a line that nothing changes is sent on byte for byte.
 *
 * @param type  the type letter, {@code a} to {@code z}
 * @param value everything after the {@code =}, as received; never contains CR, LF or NUL
 */
public record SdpLine(char type, String value) {

    public SdpLine {
        if (type < 'a' || type > 'z') {
            throw new IllegalArgumentException("an SDP line type is a lower-case letter, got "
                    + SdpText.quote(String.valueOf(type)));
        }
        Objects.requireNonNull(value, "value");
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an SDP line cannot contain CR, LF or NUL: " + SdpText.quote(value));
        }
    }

    /** An attribute line {@code a=<name>:<value>}. */
    public static SdpLine attribute(String name, String value) {
        return new SdpLine('a', name + ":" + value);
    }

    /** A property attribute line {@code a=<name>}, such as {@code a=sendrecv}. */
    public static SdpLine attribute(String name) {
        return new SdpLine('a', name);
    }

    /** True for {@code a=} lines. */
    public boolean isAttribute() {
        return type == 'a';
    }

    /**
     * True for an {@code a=} line whose attribute name is {@code name}, compared ignoring case:
     * senders are not consistent (the T.38 attributes in particular appear in several spellings).
     */
    public boolean isAttribute(String name) {
        return isAttribute() && attributeName().equalsIgnoreCase(name);
    }

    /** The attribute name of an {@code a=} line (before the first {@code :}); empty for other lines. */
    public String attributeName() {
        if (!isAttribute()) {
            return "";
        }
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    /** The attribute value of an {@code a=} line (after the first {@code :}); empty for property attributes and other lines. */
    public Optional<String> attributeValue() {
        int colon = value.indexOf(':');
        return isAttribute() && colon >= 0 ? Optional.of(value.substring(colon + 1)) : Optional.empty();
    }

    /** The line as sent, without line ending: {@code <type>=<value>}. */
    @Override
    public String toString() {
        return type + "=" + value;
    }
}
