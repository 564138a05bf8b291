package org.opentrunk.admin;

import java.time.Instant;
import org.opentrunk.call.CallSummary;

/** A call in progress in the API. (JSON-B 1.0 cannot serialize records, hence this class.) */
public class CallJson {
    /** the node the call is on (OT_NODE_ID; several nodes, issue 20) */
    public String node;
    public String direction;
    public String customerCallId;
    public String carrierCallId;
    public long customerId;
    public String customerName;
    public long carrierId;
    public String carrierName;
    public String route;
    /** routing, trying, early, cancelling, answered, ending */
    public String state;
    public String startedAt;
    public String answeredAt;
    public long durationSeconds;
    /** media relayed by OpenTrunk (the customer's anchorMedia) */
    public boolean anchored;
    /** DTMF digits seen in the relayed media so far; 0 with direct media */
    public int dtmfDigits;
    /** the negotiated voice codec once answered (e.g. PCMU); null before */
    public String codec;
    /** how the media flows: relayed or direct, with ", T.38" after a fax switch */
    public String mediaMode;

    /** {@link #of(CallSummary, long)} on {@code node}. */
    public static CallJson of(org.opentrunk.sip.LiveCalls.NodeCall call, long nowMs) {
        CallJson json = of(call.summary(), nowMs);
        json.node = call.node().isEmpty() ? null : call.node();
        return json;
    }

    public static CallJson of(CallSummary s, long nowMs) {
        CallJson json = new CallJson();
        json.direction = s.direction();
        json.customerCallId = s.customerCallId();
        json.carrierCallId = s.carrierCallId();
        json.customerId = s.customerId();
        json.customerName = s.customerName();
        json.carrierId = s.carrierId();
        json.carrierName = s.carrierName();
        json.route = s.route();
        json.state = s.state();
        json.startedAt = Instant.ofEpochMilli(s.startedAtMs()).toString();
        json.answeredAt = s.answeredAtMs() == 0 ? null : Instant.ofEpochMilli(s.answeredAtMs()).toString();
        json.durationSeconds = s.answeredAtMs() == 0 ? 0 : (nowMs - s.answeredAtMs()) / 1000;
        json.anchored = s.anchored();
        json.dtmfDigits = s.dtmfDigits();
        json.codec = s.codec();
        json.mediaMode = s.mediaMode();
        return json;
    }
}
