package org.opentrunk.sip;

/**
 * A live call as the operator sees it.
 *
 * @param startedAtMs epoch milliseconds of the customer's INVITE
 * @param answeredAtMs epoch milliseconds of the answer, or 0
 */
public record CallSummary(String direction, String customerCallId, String carrierCallId, long customerId,
                          String customerName, long carrierId, String carrierName, String state,
                          long startedAtMs, long answeredAtMs) {
}
