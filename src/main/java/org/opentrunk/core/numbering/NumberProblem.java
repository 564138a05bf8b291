package org.opentrunk.core.numbering;

/**
 * Why a number was refused, and what OpenTrunk answers a SIP request for it (IC-E164): 484 when
 * the caller has not (yet) given enough digits, 404 when no number with these digits exists.
 * Reason phrases are fixed ASCII text and never echo the input, so they are safe on a status line.
 */
public enum NumberProblem {

    /**
     * No digits at all. Answered like too few digits (484): zero digits is the extreme case of
     * an incomplete address, and it is what an overlap-dialing PBX sends before the first digit.
     */
    EMPTY(484, "Address Incomplete"),

    /**
     * A country code alone, fewer digits than the country's shortest number, a number that is
     * only locally dialable, or the beginning of a valid number that stops too early.
     */
    TOO_SHORT(484, "Address Incomplete"),

    /** Something other than digits, a leading {@code +} and the visual separators: letters, {@code *}, {@code #}. */
    INVALID_CHARACTER(404, "Not An E.164 Number"),

    /** More than 15 digits, or more than the country's longest number. */
    TOO_LONG(404, "Number Too Long"),

    /** The digits start with no country calling code in use ({@code +999...}, {@code +0...}). */
    UNKNOWN_COUNTRY_CODE(404, "Unknown Country Code"),

    /** The country exists but its numbering plan has no such number. */
    INVALID_FOR_COUNTRY(404, "Invalid Number");

    private final int sipStatus;
    private final String reasonPhrase;

    NumberProblem(int sipStatus, String reasonPhrase) {
        this.sipStatus = sipStatus;
        this.reasonPhrase = reasonPhrase;
    }

    /** The SIP status code to answer: 484 or 404. */
    public int sipStatus() {
        return sipStatus;
    }

    /** The reason phrase for the SIP status line. */
    public String reasonPhrase() {
        return reasonPhrase;
    }
}
