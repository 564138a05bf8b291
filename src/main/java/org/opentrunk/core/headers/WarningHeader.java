package org.opentrunk.core.headers;

import java.util.Objects;
import org.opentrunk.core.text.QuotedString;
import org.opentrunk.core.text.UntrustedText;

/**
 * A {@code Warning} header value (RFC 3261 section 20.43) with code 399, "miscellaneous warning":
 * the place where an error response tells a PBX's administrator in words why a call was refused
 * (IC-E164: "it is a national number of GB: dial it in E.164, +442079460000"), since the reason
 * phrase is fixed text. Many PBXs log it (Asterisk shows it with {@code sip set debug}).
 */
public final class WarningHeader {

    public static final String NAME = "Warning";
    /** RFC 3261: 399 is the code for text that fits no other warn-code. */
    public static final int MISCELLANEOUS = 399;
    /** Longest warn-text sent: enough for a sentence, short enough for a UDP response. */
    public static final int MAX_TEXT_LENGTH = 200;

    private WarningHeader() {
    }

    /**
     * {@code 399 <agent> "<text>"}: the text cut to {@value #MAX_TEXT_LENGTH} characters, anything
     * but printable ASCII dropped (it may quote peer input), quotes and backslashes escaped.
     *
     * @param agent the warn-agent: the trunk's host name or domain
     */
    public static String value(String agent, String text) {
        Objects.requireNonNull(agent, "agent");
        StringBuilder clean = new StringBuilder();
        String source = text == null ? "" : text;
        for (int i = 0; i < source.length() && clean.length() < MAX_TEXT_LENGTH; i++) {
            char c = source.charAt(i);
            if (UntrustedText.isPrintableAscii(c)) {
                clean.append(c);
            }
        }
        return MISCELLANEOUS + " " + agent + " " + QuotedString.of(clean.toString());
    }
}
