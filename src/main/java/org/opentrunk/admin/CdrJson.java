package org.opentrunk.admin;

import java.time.Instant;
import org.opentrunk.core.cdr.CallDirection;
import org.opentrunk.store.CdrEntity;

/** A call detail record in the API (IC-CDR); times are ISO-8601 UTC. */
public class CdrJson {
    public long id;
    /** outbound or inbound */
    public String direction;
    public String customerCallId;
    public String carrierCallId;
    public Long customerId;
    public Long carrierId;
    public String caller;
    public String callee;
    public String start;
    public String answer;
    public String end;
    /** answer to end, 0 when not answered */
    public long durationSeconds;
    public Integer sipStatus;
    public String disconnectCause;
    public String xTag;
    public String codec;
    public boolean fax;
    public String route;
    /** DTMF digits seen in the relayed media (anchored calls only, IC-DTMF) */
    public int dtmfCount;
    /** the digits themselves when OT_MEDIA_KEEP_DIGITS is on, else null */
    public String dtmfDigits;
    /** an emergency call (911, 112 ..., IC-EMERGENCY), answered or refused */
    public boolean emergency;
    /** STIR/SHAKEN attestation (IC-STIR): A, B or C signed (outbound) or claimed by the caller's PASSporT (inbound); null without */
    public String attestation;
    /** inbound: TN-Validation-Passed, TN-Validation-Failed or No-TN-Validation; null on outbound calls */
    public String verstat;
    /** the node that handled the call (OT_NODE_ID); null on CDRs from before version 10 */
    public String node;
    /** the PASSporT's origination identifier (a UUID), signed or received; null without */
    public String origid;

    public static CdrJson of(CdrEntity e) {
        CdrJson json = new CdrJson();
        json.id = e.getId();
        json.direction = e.getDirection();
        // a_call_id is the leg OpenTrunk received: the customer's outbound, the carrier's inbound.
        boolean inbound = CallDirection.INBOUND.text().equals(e.getDirection());
        json.customerCallId = inbound ? e.getBCallId() : e.getACallId();
        json.carrierCallId = inbound ? e.getACallId() : e.getBCallId();
        json.customerId = e.getCustomerId();
        json.carrierId = e.getCarrierId();
        json.caller = e.getCaller();
        json.callee = e.getCallee();
        json.start = Instant.ofEpochMilli(e.getStartMs()).toString();
        json.answer = e.getAnswerMs() == null ? null : Instant.ofEpochMilli(e.getAnswerMs()).toString();
        json.end = e.getEndMs() == null ? null : Instant.ofEpochMilli(e.getEndMs()).toString();
        json.durationSeconds = e.getAnswerMs() == null || e.getEndMs() == null ? 0 : (e.getEndMs() - e.getAnswerMs()) / 1000;
        json.sipStatus = e.getSipStatus();
        json.disconnectCause = e.getDisconnectCause();
        json.xTag = e.getXTag();
        json.codec = e.getCodec();
        json.fax = e.isFax();
        json.route = e.getRoute();
        json.dtmfCount = e.getDtmfCount();
        json.dtmfDigits = e.getDtmfDigits();
        json.emergency = e.isEmergency();
        json.attestation = e.getAttestation();
        json.verstat = e.getVerstat();
        json.node = e.getNode();
        json.origid = e.getOrigid();
        return json;
    }
}
