package org.opentrunk.sip;

/**
 * A live call as the operator sees it.
 *
 * @param route        the carrier or route being tried or that answered
 * @param startedAtMs epoch milliseconds of the received INVITE
 * @param answeredAtMs epoch milliseconds of the answer, or 0
 */
public record CallSummary(String direction, String customerCallId, String carrierCallId, long customerId,
                          String customerName, long carrierId, String carrierName, String route, String state,
                          long startedAtMs, long answeredAtMs) {
}
