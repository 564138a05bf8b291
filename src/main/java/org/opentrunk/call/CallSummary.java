package org.opentrunk.call;

/**
 * A live call as the operator sees it.
 *
 * @param route        the carrier or route being tried or that answered
 * @param startedAtMs epoch milliseconds of the received INVITE
 * @param answeredAtMs epoch milliseconds of the answer, or 0
 * @param anchored     whether OpenTrunk relays the call's media (the customer's anchorMedia, IC-DIRECT)
 * @param dtmfDigits   DTMF digits seen in the relayed media so far (IC-DTMF); 0 with direct media
 */
public record CallSummary(String direction, String customerCallId, String carrierCallId, long customerId,
                          String customerName, long carrierId, String carrierName, String route, String state,
                          long startedAtMs, long answeredAtMs, boolean anchored, int dtmfDigits) {
}
