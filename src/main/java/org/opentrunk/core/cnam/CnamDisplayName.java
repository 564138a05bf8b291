package org.opentrunk.core.cnam;

import java.util.Optional;
import org.opentrunk.core.numbering.CnamName;
import org.opentrunk.core.text.UntrustedText;

/**
 * Turns a caller name from a source OpenTrunk does not control (a CNAM provider's answer) into
 * text that is safe inside a quoted SIP display name ({@code "NAME" <sip:...>}) and fits what
 * phones show for CNAM: the first line only, printable ASCII only, no {@code "} or {@code \}
 * (which would end or escape the quoted string), runs of spaces and control characters as one
 * space, cut to {@value #MAX_LENGTH} characters.
 *
 * <p>Characters outside printable ASCII are dropped rather than replaced: a name is either
 * readable or absent, never a row of question marks. Providers that send longer names (some
 * send 32 or more) are cut, not refused, as a phone would.
 */
public final class CnamDisplayName {

    /** Classic CNAM length, as for stored names ({@link CnamName#MAX_LENGTH}). */
    public static final int MAX_LENGTH = CnamName.MAX_LENGTH;

    private CnamDisplayName() {
    }

    /** The displayable name in {@code untrusted}, or empty when nothing displayable is left. */
    public static Optional<String> sanitize(String untrusted) {
        if (untrusted == null) {
            return Optional.empty();
        }
        StringBuilder name = new StringBuilder(MAX_LENGTH);
        boolean pendingSpace = false;
        for (int i = 0; i < untrusted.length() && name.length() < MAX_LENGTH; i++) {
            char c = untrusted.charAt(i);
            if (c == '\r' || c == '\n') {
                if (name.length() > 0) {
                    break; // first line only
                }
                continue;
            }
            if (c == ' ' || Character.isISOControl(c)) {
                pendingSpace = name.length() > 0;
                continue;
            }
            if (!UntrustedText.isPrintableAscii(c) || c == '"' || c == '\\') {
                continue;
            }
            if (pendingSpace) {
                name.append(' ');
                pendingSpace = false;
                if (name.length() == MAX_LENGTH) {
                    break;
                }
            }
            name.append(c);
        }
        String result = name.toString().strip();
        return result.isEmpty() ? Optional.empty() : Optional.of(result);
    }
}
