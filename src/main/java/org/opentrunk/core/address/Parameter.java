package org.opentrunk.core.address;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code ;name=value} or {@code ;name} parameter of a URI, a user part or a header value.
 * The value is kept as written (a token, or a quoted string with its quotes), so that a parameter
 * OpenTrunk passes on reaches the other side byte for byte; {@link #unquotedValue()} is the value
 * to compare. Names compare case-insensitively (RFC 3261 section 7.3.1).
 *
 * @param name  the name, as written
 * @param value the raw value; empty for a flag such as {@code lr} or {@code npdi}
 */
public record Parameter(String name, Optional<String> value) {

    public Parameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!Syntax.isParameterName(name)) {
            throw new IllegalArgumentException("not a parameter name: " + LogText.quote(name));
        }
        if (value.isPresent() && !Syntax.isParameterValue(value.get(), false)) {
            throw new IllegalArgumentException("not a parameter value: " + LogText.quote(value.get()));
        }
    }

    /** {@code name=value}. */
    public static Parameter of(String name, String value) {
        return new Parameter(name, Optional.of(value));
    }

    /** A parameter without a value, such as {@code lr}. */
    public static Parameter flag(String name) {
        return new Parameter(name, Optional.empty());
    }

    /** True when this parameter is called {@code otherName}, ignoring case. */
    public boolean isNamed(String otherName) {
        return name.equalsIgnoreCase(otherName);
    }

    /** The value with quotes and escapes removed, if there is one. */
    public Optional<String> unquotedValue() {
        return value.map(v -> v.startsWith("\"") ? Syntax.unquote(v) : v);
    }

    /** {@code ;name=value} or {@code ;name}. */
    public String render() {
        return ";" + name + value.map(v -> "=" + v).orElse("");
    }

    @Override
    public String toString() {
        return render();
    }
}
