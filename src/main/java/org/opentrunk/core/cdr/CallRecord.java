package org.opentrunk.core.cdr;

import java.util.Objects;
import java.util.UUID;

/**
 * One call attempt, as its CDR (IC-CDR): built by the call path when the attempt ends and handed
 * to the CDR writer, which journals it and stores it in the {@code cdr} table. Times are epoch
 * milliseconds.
 *
 * <p>A record refused here is a CDR lost, and a record the database refuses blocks the CDRs behind
 * it, so the constructor refuses only what no CDR can lack (its id, direction, a Call-ID and
 * cause) and makes everything else fit the table: text longer than its column is cut (never in the
 * middle of a surrogate pair), and U+0000, which PostgreSQL text cannot hold, becomes U+FFFD. The
 * X-Tag limit is the spec's own (IC-TAG: longer values are truncated, never rejected). Nothing
 * else is checked: times out of order (a clock step) or an odd status are recorded as they came.
 *
 * @param recordId        unique id of this record ({@link #newRecordId()}, a UUID); the database
 *                        keeps each id once, which makes writing a record twice harmless
 * @param direction       outbound (customer to carrier) or inbound (carrier to customer)
 * @param customerCallId  Call-ID of the customer's leg (the A leg on outbound calls, the B leg on
 *                        inbound ones); null when no customer leg was created
 * @param carrierCallId   Call-ID of the carrier's leg (the B leg on outbound calls, the A leg on
 *                        inbound ones); null when no carrier leg was created
 * @param customerId      the customer; null when the attempt was refused before one was known
 * @param carrierId       the carrier; null when no carrier was involved
 * @param caller          calling number, E.164 with {@code +}; null when unknown
 * @param callee          called number, E.164 with {@code +}; null when unknown
 * @param startMs         arrival of the initial INVITE
 * @param answerMs        the answer (200 OK to the INVITE); null when not answered
 * @param endMs           the end of the attempt: final error response, CANCEL or BYE
 * @param sipStatus       final status of the INVITE (200, 486, 487, 503 ...)
 * @param disconnectCause why the attempt ended
 * @param xTag            the X-Tag header value, at most {@value #MAX_X_TAG_LENGTH} characters; null when absent
 * @param codec           the negotiated voice codec (e.g. {@code PCMU}); null when none
 * @param fax             whether the call switched to T.38 fax (IC-FAX)
 * @param route           the route or carrier address the call took; null when none
 * @param dtmfCount       DTMF digits (RFC 4733 telephone-events) seen in the call's media; 0 unless
 *                        the media was anchored (IC-DTMF)
 * @param dtmfDigits      those digits in order, at most {@value #MAX_DTMF_DIGITS_LENGTH}, when the
 *                        operator keeps them (OT_MEDIA_KEEP_DIGITS: they can be card numbers); null otherwise
 * @param emergency       whether the call path recognised the attempt as an emergency call (a short
 *                        code such as 911 or 112, IC-EMERGENCY), so the operator can find every one of
 *                        them, refused ones included; false otherwise
 * @param attestation     STIR/SHAKEN attestation (IC-STIR): {@code A}, {@code B} or {@code C} that
 *                        OpenTrunk signed an outbound call with, or that an inbound call's PASSporT
 *                        claimed; null without one
 * @param verstat         an inbound call's verification result ({@code TN-Validation-Passed},
 *                        {@code TN-Validation-Failed}, {@code No-TN-Validation}); null on outbound calls
 * @param origid          the PASSporT's origination identifier, signed or received; null without one
 * @param postDialDelayMs milliseconds from the caller's INVITE to the first 18x provisional response
 *                        the callee leg relayed (post-dial delay, issue 26's histogram); null when
 *                        none came. Not persisted: the journal line and the {@code cdr} table do not
 *                        hold it, so a record read back from either has null here
 */
public record CallRecord(String recordId, CallDirection direction, String customerCallId, String carrierCallId,
                         Long customerId, Long carrierId, String caller, String callee,
                         long startMs, Long answerMs, long endMs, int sipStatus,
                         DisconnectCause disconnectCause, String xTag, String codec, boolean fax, String route,
                         int dtmfCount, String dtmfDigits, boolean emergency,
                         String attestation, String verstat, String origid, Long postDialDelayMs) {

    /** Length of a record id: a UUID in its 36-character text form; the {@code record_id} column. */
    public static final int RECORD_ID_LENGTH = 36;
    /** The {@code a_call_id} and {@code b_call_id} columns. */
    public static final int MAX_CALL_ID_LENGTH = 255;
    /** The {@code caller} and {@code callee} columns; E.164 needs 16 with the {@code +}. */
    public static final int MAX_NUMBER_LENGTH = 32;
    /** IC-TAG, and the {@code x_tag} column. */
    public static final int MAX_X_TAG_LENGTH = 32;
    /** The {@code codec} column. */
    public static final int MAX_CODEC_LENGTH = 16;
    /** The {@code route} column. */
    public static final int MAX_ROUTE_LENGTH = 512;
    /** The {@code dtmf_digits} column; the media relay keeps no more per leg either. */
    public static final int MAX_DTMF_DIGITS_LENGTH = 64;
    /** The {@code attestation} column: one letter. */
    public static final int MAX_ATTESTATION_LENGTH = 1;
    /** The {@code verstat} column; "TN-Validation-Failed" is the longest value. */
    public static final int MAX_VERSTAT_LENGTH = 24;
    /** The {@code origid} column: a UUID. */
    public static final int MAX_ORIGID_LENGTH = 36;

    /**
     * @throws NullPointerException     when the record id, direction or cause is missing, or both Call-IDs
     * @throws IllegalArgumentException when the record id is blank, longer than
     *                                  {@value #RECORD_ID_LENGTH} characters or holds U+0000
     */
    public CallRecord {
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(direction, "direction");
        if (customerCallId == null) {
            Objects.requireNonNull(carrierCallId, "customerCallId and carrierCallId");
        }
        Objects.requireNonNull(disconnectCause, "disconnectCause");
        if (recordId.isBlank() || recordId.length() > RECORD_ID_LENGTH || recordId.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a record id is 1 to " + RECORD_ID_LENGTH
                    + " characters without U+0000, such as a UUID; got " + recordId.length() + " characters");
        }
        customerCallId = fit(customerCallId, MAX_CALL_ID_LENGTH);
        carrierCallId = fit(carrierCallId, MAX_CALL_ID_LENGTH);
        caller = fit(caller, MAX_NUMBER_LENGTH);
        callee = fit(callee, MAX_NUMBER_LENGTH);
        xTag = fit(xTag, MAX_X_TAG_LENGTH);
        codec = fit(codec, MAX_CODEC_LENGTH);
        route = fit(route, MAX_ROUTE_LENGTH);
        dtmfDigits = fit(dtmfDigits, MAX_DTMF_DIGITS_LENGTH);
        attestation = fit(attestation, MAX_ATTESTATION_LENGTH);
        verstat = fit(verstat, MAX_VERSTAT_LENGTH);
        origid = fit(origid, MAX_ORIGID_LENGTH);
    }

    /** A record without STIR/SHAKEN values (records of releases before them) and without a post-dial delay. */
    public CallRecord(String recordId, CallDirection direction, String customerCallId, String carrierCallId,
                      Long customerId, Long carrierId, String caller, String callee,
                      long startMs, Long answerMs, long endMs, int sipStatus,
                      DisconnectCause disconnectCause, String xTag, String codec, boolean fax, String route,
                      int dtmfCount, String dtmfDigits, boolean emergency) {
        this(recordId, direction, customerCallId, carrierCallId, customerId, carrierId, caller, callee, startMs, answerMs,
                endMs, sipStatus, disconnectCause, xTag, codec, fax, route, dtmfCount, dtmfDigits, emergency, null, null, null);
    }

    /** A record without a post-dial delay: what the journal and the database give back. */
    public CallRecord(String recordId, CallDirection direction, String customerCallId, String carrierCallId,
                      Long customerId, Long carrierId, String caller, String callee,
                      long startMs, Long answerMs, long endMs, int sipStatus,
                      DisconnectCause disconnectCause, String xTag, String codec, boolean fax, String route,
                      int dtmfCount, String dtmfDigits, boolean emergency, String attestation, String verstat,
                      String origid) {
        this(recordId, direction, customerCallId, carrierCallId, customerId, carrierId, caller, callee, startMs,
                answerMs, endMs, sipStatus, disconnectCause, xTag, codec, fax, route, dtmfCount, dtmfDigits, emergency,
                attestation, verstat, origid, null);
    }

    /** Call-ID of the leg OpenTrunk received (the A leg): the customer's outbound, the carrier's inbound. */
    public String aLegCallId() {
        String received = direction == CallDirection.OUTBOUND ? customerCallId : carrierCallId;
        return received != null ? received : direction == CallDirection.OUTBOUND ? carrierCallId : customerCallId;
    }

    /** Call-ID of the other leg, or null. */
    public String bLegCallId() {
        String a = aLegCallId();
        return a.equals(customerCallId) ? carrierCallId : customerCallId;
    }

    /** A fresh record id: a random UUID. */
    public static String newRecordId() {
        return UUID.randomUUID().toString();
    }

    /** A builder for a new record with a fresh {@link #newRecordId() id}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code text} with U+0000 replaced and cut to at most {@code max} UTF-16 units (hence at most
     * {@code max} characters however a database counts them), without splitting a surrogate pair.
     */
    static String fit(String text, int max) {
        if (text == null) {
            return null;
        }
        String clean = text.indexOf('\0') >= 0 ? text.replace('\0', '\uFFFD') : text;
        if (clean.length() <= max) {
            return clean;
        }
        int end = max;
        if (Character.isHighSurrogate(clean.charAt(end - 1)) && Character.isLowSurrogate(clean.charAt(end))) {
            end--;
        }
        return clean.substring(0, end);
    }

    /**
     * Collects a CDR while the call runs (the call's state object holds one), so that every value
     * is set by name: the record has several values of the same type, which a positional
     * constructor would let the call path swap unnoticed. Not thread-safe.
     */
    public static final class Builder {
        private String recordId = newRecordId();
        private CallDirection direction;
        private String customerCallId;
        private String carrierCallId;
        private Long customerId;
        private Long carrierId;
        private String caller;
        private String callee;
        private long startMs;
        private Long answerMs;
        private long endMs;
        private int sipStatus;
        private DisconnectCause disconnectCause;
        private String xTag;
        private String codec;
        private boolean fax;
        private String route;
        private int dtmfCount;
        private String dtmfDigits;
        private boolean emergency;
        private String attestation;
        private String verstat;
        private String origid;
        private Long postDialDelayMs;

        private Builder() {
        }

        /** Replaces the fresh id, e.g. to rebuild a stored record. */
        public Builder recordId(String value) { recordId = value; return this; }
        public Builder direction(CallDirection value) { direction = value; return this; }
        public Builder customerCallId(String value) { customerCallId = value; return this; }
        public Builder carrierCallId(String value) { carrierCallId = value; return this; }
        public Builder customerId(Long value) { customerId = value; return this; }
        public Builder carrierId(Long value) { carrierId = value; return this; }
        public Builder caller(String value) { caller = value; return this; }
        public Builder callee(String value) { callee = value; return this; }
        public Builder startMs(long value) { startMs = value; return this; }
        public Builder answerMs(Long value) { answerMs = value; return this; }
        public Builder endMs(long value) { endMs = value; return this; }
        public Builder sipStatus(int value) { sipStatus = value; return this; }
        public Builder disconnectCause(DisconnectCause value) { disconnectCause = value; return this; }
        public Builder xTag(String value) { xTag = value; return this; }
        public Builder codec(String value) { codec = value; return this; }
        public Builder fax(boolean value) { fax = value; return this; }
        public Builder route(String value) { route = value; return this; }
        public Builder dtmfCount(int value) { dtmfCount = value; return this; }
        public Builder dtmfDigits(String value) { dtmfDigits = value; return this; }
        public Builder emergency(boolean value) { emergency = value; return this; }
        public Builder attestation(String value) { attestation = value; return this; }
        public Builder verstat(String value) { verstat = value; return this; }
        public Builder origid(String value) { origid = value; return this; }
        /** Milliseconds from the INVITE to the first 18x; null when none came (not persisted). */
        public Builder postDialDelayMs(Long value) { postDialDelayMs = value; return this; }

        /** The record, checked as by the {@linkplain CallRecord#CallRecord constructor}. */
        public CallRecord build() {
            return new CallRecord(recordId, direction, customerCallId, carrierCallId, customerId, carrierId,
                    caller, callee, startMs, answerMs, endMs, sipStatus, disconnectCause, xTag, codec, fax, route,
                    dtmfCount, dtmfDigits, emergency, attestation, verstat, origid, postDialDelayMs);
        }
    }
}
