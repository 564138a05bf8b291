package org.opentrunk.store;

/**
 * Which CDRs to read, newest first. Null fields do not filter.
 *
 * @param sinceMs    start time at or after (epoch ms)
 * @param untilMs    start time before (epoch ms)
 * @param number     caller or callee equals this E.164 number
 * @param customerId the customer's calls
 * @param direction  outbound or inbound
 * @param sipStatus  the final SIP status, e.g. 200 or 486
 * @param emergency  true: emergency calls only, false: all but them (IC-EMERGENCY)
 * @param limit      at most this many rows
 */
public record CdrQuery(Long sinceMs, Long untilMs, String number, Long customerId, String direction, Integer sipStatus,
                       Boolean emergency, int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 10_000;

    public CdrQuery(Long sinceMs, Long untilMs, String number, Long customerId, int limit) {
        this(sinceMs, untilMs, number, customerId, null, null, null, limit);
    }
}
