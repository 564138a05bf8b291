package org.opentrunk.core.callerid;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The priv-values of received {@code Privacy} headers (RFC 3323 section 4.2, RFC 3325 section 9.3),
 * lower case, each once, in order. Unknown values are dropped: OpenTrunk would not know what it
 * promised by passing them on.
 */
public record PrivacyValues(List<String> values) {

    public static final String HEADER = "Privacy";
    public static final String ID = "id";
    public static final String NONE = "none";

    /** Every priv-value registered with IANA that OpenTrunk understands. */
    public static final Set<String> KNOWN = Set.of("header", "session", "user", NONE, "critical", ID, "history");

    /**
     * The values that ask to hide who is calling: {@code id} (the asserted identity), {@code user}
     * (user-level privacy: an anonymous From) and {@code header} (hide identifying headers, From
     * among them). {@code session} (media) and {@code history} (History-Info) say nothing about
     * the caller ID, and {@code critical} only qualifies the others.
     */
    public static final Set<String> HIDE_CALLER = Set.of(ID, "user", "header");

    /** Longest Privacy text read; seven known values fit in well under this. */
    public static final int MAX_LENGTH = 256;

    public PrivacyValues {
        values = List.copyOf(values);
    }

    /** Reads {@code id;critical}, {@code none}, {@code header; user} and comma-joined header lines alike. */
    public static PrivacyValues parse(List<String> headerValues) {
        Set<String> found = new LinkedHashSet<>();
        for (String value : headerValues) {
            if (value == null || value.length() > MAX_LENGTH) {
                continue;
            }
            for (String piece : value.split("[;,]")) {
                String v = piece.strip().toLowerCase(Locale.ROOT);
                if (KNOWN.contains(v)) {
                    found.add(v);
                }
            }
        }
        return new PrivacyValues(List.copyOf(found));
    }

    /**
     * True when the caller asked to be withheld. A {@code none} next to {@code id} contradicts
     * itself (RFC 3323 forbids the combination); privacy wins, as the cautious reading.
     */
    public boolean hidesCaller() {
        return values.stream().anyMatch(HIDE_CALLER::contains);
    }

    /** The header value, {@code id;critical}, or empty text when there are none. */
    public String render() {
        return String.join(";", values);
    }
}
