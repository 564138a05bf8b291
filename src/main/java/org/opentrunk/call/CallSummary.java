package org.opentrunk.call;

/**
 * A live call as the operator sees it.
 *
 * @param route        the carrier or route being tried or that answered
 * @param startedAtMs epoch milliseconds of the received INVITE
 * @param answeredAtMs epoch milliseconds of the answer, or 0
 * @param anchored     whether OpenTrunk relays the call's media (the customer's anchorMedia, IC-DIRECT)
 * @param dtmfDigits   DTMF digits seen in the relayed media so far (IC-DTMF); 0 with direct media
 * @param codec        the negotiated voice codec once answered (the call's {@code CallLedger#codec()}),
 *                     null before the answer or when the call does not tell it
 * @param fax          the call switched to T.38 (IC-FAX)
 */
public record CallSummary(String direction, String customerCallId, String carrierCallId, long customerId,
                          String customerName, long carrierId, String carrierName, String route, String state,
                          long startedAtMs, long answeredAtMs, boolean anchored, int dtmfDigits, String codec, boolean fax) {

    /** Media through OpenTrunk's relay (anchorMedia). */
    public static final String MEDIA_RELAYED = "relayed";
    /** Media directly between the parties (IC-DIRECT). */
    public static final String MEDIA_DIRECT = "direct";

    /** A summary that does not tell the codec nor a fax switch. */
    public CallSummary(String direction, String customerCallId, String carrierCallId, long customerId,
                       String customerName, long carrierId, String carrierName, String route, String state,
                       long startedAtMs, long answeredAtMs, boolean anchored, int dtmfDigits) {
        this(direction, customerCallId, carrierCallId, customerId, customerName, carrierId, carrierName, route, state,
                startedAtMs, answeredAtMs, anchored, dtmfDigits, null, false);
    }

    /** How the media flows: {@value #MEDIA_RELAYED} or {@value #MEDIA_DIRECT}, with {@code , T.38} after a fax switch. */
    public String mediaMode() {
        return (anchored ? MEDIA_RELAYED : MEDIA_DIRECT) + (fax ? ", T.38" : "");
    }
}
