package org.opentrunk.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.opentrunk.ladder.CallLadders;
import org.opentrunk.ladder.LadderMessage;
import org.opentrunk.store.CdrEntity;

/** One SIP message of a call's ladder in the API (issue 26). */
public class LadderMessageJson {
    public static final String CALLER = "caller";
    public static final String CALLEE = "callee";

    /** when OpenTrunk received or sent it, ISO-8601 UTC with milliseconds */
    public String time;
    /** the same in epoch milliseconds */
    public long timeMs;
    /** caller (the customer's leg on outbound calls, the carrier's on inbound) or callee */
    public String leg;
    /** in (received by OpenTrunk) or out (sent by OpenTrunk) */
    public String direction;
    /** the other side's address */
    public String peer;
    /** the request's method, or the response's status code and the method it answers ("180 INVITE") */
    public String summary;
    /** the whole message, credentials masked */
    public String text;

    /**
     * The kept messages of both legs of {@code cdr}'s call, in the order OpenTrunk handled them;
     * empty when none are kept. The caller's leg is the CDR's A leg (the customer's on outbound
     * calls, the carrier's on inbound ones); the callee's the B leg, the last target tried.
     */
    public static List<LadderMessageJson> ofCall(CdrEntity cdr, CallLadders ladders) {
        record Tagged(LadderMessage message, String leg) {
        }
        List<Tagged> all = new ArrayList<>();
        ladders.of(cdr.getACallId()).forEach(m -> all.add(new Tagged(m, CALLER)));
        if (cdr.getBCallId() != null && !cdr.getBCallId().equals(cdr.getACallId())) {
            ladders.of(cdr.getBCallId()).forEach(m -> all.add(new Tagged(m, CALLEE)));
        }
        all.sort(Comparator.comparingLong(t -> t.message().sequence()));
        return all.stream().map(t -> of(t.message(), t.leg())).toList();
    }

    static LadderMessageJson of(LadderMessage m, String leg) {
        LadderMessageJson json = new LadderMessageJson();
        json.time = Instant.ofEpochMilli(m.timeMs()).toString();
        json.timeMs = m.timeMs();
        json.leg = leg;
        json.direction = m.outgoing() ? "out" : "in";
        json.peer = m.peer();
        json.summary = summary(m.text());
        json.text = m.text();
        return json;
    }

    /** "INVITE" for a request, "180 Ringing (INVITE)" for a response: from the start line and CSeq. */
    static String summary(String text) {
        int eol = text.indexOf('\n');
        String first = (eol < 0 ? text : text.substring(0, eol)).strip();
        if (!first.startsWith("SIP/2.0 ")) {
            int space = first.indexOf(' ');
            return space < 0 ? first : first.substring(0, space);
        }
        String status = first.substring("SIP/2.0 ".length());
        String method = null;
        for (String line : text.split("\r?\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.regionMatches(true, 0, "CSeq:", 0, 5)) {
                String[] parts = line.substring(5).strip().split("\\s+");
                method = parts.length > 1 ? parts[1] : null;
                break;
            }
        }
        return method == null ? status : status + " (" + method + ")";
    }
}
