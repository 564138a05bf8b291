package org.opentrunk.core.cdr;

/**
 * Which way a call went, as the CDR table and the API spell it ({@link #text()}): from a customer
 * out to a carrier, or from a carrier in to a customer's number (DID).
 */
public enum CallDirection {
    /** A customer's PBX called out through a carrier. */
    OUTBOUND("outbound"),
    /** A carrier delivered a call to one of a customer's numbers. */
    INBOUND("inbound");

    private final String text;

    CallDirection(String text) {
        this.text = text;
    }

    /** The stored form; never changes once released, since stored CDRs and journals hold it. */
    public String text() {
        return text;
    }

    /**
     * @throws IllegalArgumentException when {@code text} is not the {@link #text()} of a direction
     */
    public static CallDirection fromText(String text) {
        for (CallDirection direction : values()) {
            if (direction.text.equals(text)) {
                return direction;
            }
        }
        throw new IllegalArgumentException("unknown call direction: " + text);
    }
}
