package org.opentrunk.ladder;

/**
 * One SIP message of a call leg as it crossed OpenTrunk.
 *
 * @param sequence the order in which OpenTrunk handled the messages of all calls: a CDR's two
 *                 legs merge by it (two messages can share a millisecond)
 * @param timeMs   when OpenTrunk received or sent it (epoch milliseconds)
 * @param outgoing sent by OpenTrunk (true) or received (false)
 * @param peer     the other side's address, {@code host:port}, or a URI for a request sent
 * @param text     the message, credentials masked ({@link SecretMask})
 */
public record LadderMessage(long sequence, long timeMs, boolean outgoing, String peer, String text) {

    /** Bytes a message is counted for besides its text (object headers, the record, the list slot). */
    static final int OVERHEAD_BYTES = 96;

    /** What the message is counted for in the ring's byte budget (compact strings: a byte per Latin-1 character). */
    long weight() {
        return OVERHEAD_BYTES + (long) text.length() + (peer == null ? 0 : peer.length());
    }
}
