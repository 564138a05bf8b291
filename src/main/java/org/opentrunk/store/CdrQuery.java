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
 * @param offset     skip this many rows first, newest first (the admin page's older pages), 0 to
 *                   {@link #MAX_OFFSET}
 */
public record CdrQuery(Long sinceMs, Long untilMs, String number, Long customerId, String direction, Integer sipStatus,
                       Boolean emergency, int limit, int offset) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 10_000;
    /**
     * Rows a query may skip: the database still reads what it skips, so paging back through a
     * whole year of CDRs is refused; narrow the time range instead.
     */
    public static final int MAX_OFFSET = 100_000;

    public CdrQuery {
        if (offset < 0 || offset > MAX_OFFSET) {
            throw new IllegalArgumentException("offset must be from 0 to " + MAX_OFFSET + ", got " + offset);
        }
    }

    /** The newest matching rows (no offset). */
    public CdrQuery(Long sinceMs, Long untilMs, String number, Long customerId, String direction, Integer sipStatus,
                    Boolean emergency, int limit) {
        this(sinceMs, untilMs, number, customerId, direction, sipStatus, emergency, limit, 0);
    }

    public CdrQuery(Long sinceMs, Long untilMs, String number, Long customerId, int limit) {
        this(sinceMs, untilMs, number, customerId, null, null, null, limit);
    }
}
