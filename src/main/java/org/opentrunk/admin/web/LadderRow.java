package org.opentrunk.admin.web;

import org.opentrunk.admin.LadderMessageJson;

/**
 * One message of the call page's ladder: which gap it crosses (customer | OpenTrunk on the left,
 * OpenTrunk | carrier on the right), which way, its label, the time since the previous message,
 * and its full text.
 */
public final class LadderRow {

    private final LadderMessageJson message;
    private final boolean customerSide;
    private final long sinceMs;

    LadderRow(LadderMessageJson message, boolean customerSide, long sinceMs) {
        this.message = message;
        this.customerSide = customerSide;
        this.sinceMs = sinceMs;
    }

    /** Between the customer and OpenTrunk (else between OpenTrunk and the carrier). */
    public boolean isCustomerSide() {
        return customerSide;
    }

    /** The arrow points right: customer to OpenTrunk, or OpenTrunk to carrier. */
    public boolean isRightwards() {
        boolean in = "in".equals(message.direction);
        return customerSide == in;
    }

    /** "INVITE →" or "← 180 Ringing (INVITE)". */
    public String getLabel() {
        return isRightwards() ? message.summary + " \u2192" : "\u2190 " + message.summary;
    }

    /** "+0 ms" for the first message, then the time since the one before. */
    public String getSince() {
        return sinceMs < 10_000 ? "+" + sinceMs + " ms" : String.format(java.util.Locale.ROOT, "+%.1f s", sinceMs / 1000.0);
    }

    public String getTime() {
        return message.time;
    }

    public String getLeg() {
        return message.leg;
    }

    public String getDirection() {
        return message.direction;
    }

    public String getPeer() {
        return message.peer;
    }

    public String getText() {
        return message.text;
    }

    public String getSummary() {
        return message.summary;
    }
}
