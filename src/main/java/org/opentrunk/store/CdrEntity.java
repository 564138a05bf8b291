package org.opentrunk.store;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.SequenceGenerator;
import javax.persistence.Table;

/** One call attempt's record (IC-CDR), as stored. Times are epoch milliseconds. */
@Entity
@Table(name = "cdr")
public class CdrEntity {

    @Id
    @SequenceGenerator(name = "cdr_ids", sequenceName = "cdr_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "cdr_ids")
    private Long id;
    /** The record's own id (CallRecord.recordId): unique, so a CDR written twice is stored once. */
    @Column(name = "record_id", length = 36, unique = true)
    private String recordId;
    @Column(nullable = false)
    private String direction;
    @Column(name = "a_call_id", nullable = false)
    private String aCallId;
    @Column(name = "b_call_id")
    private String bCallId;
    @Column(name = "customer_id")
    private Long customerId;
    @Column(name = "carrier_id")
    private Long carrierId;
    private String caller;
    private String callee;
    @Column(name = "start_ms", nullable = false)
    private long startMs;
    @Column(name = "answer_ms")
    private Long answerMs;
    @Column(name = "end_ms")
    private Long endMs;
    @Column(name = "sip_status")
    private Integer sipStatus;
    @Column(name = "disconnect_cause")
    private String disconnectCause;
    @Column(name = "x_tag")
    private String xTag;
    private String codec;
    private boolean fax;
    private String route;
    @Column(name = "dtmf_count", nullable = false)
    private int dtmfCount;
    @Column(name = "dtmf_digits", length = 64)
    private String dtmfDigits;
    /** An emergency call (IC-EMERGENCY); false on rows from before migration V7. */
    @Column(nullable = false)
    private boolean emergency;
    /** STIR/SHAKEN attestation signed (outbound) or received (inbound): A, B, C; null without (IC-STIR) */
    @Column(length = 1)
    private String attestation;
    /** verification result of an inbound call (TN-Validation-Passed ...); null on outbound calls */
    @Column(length = 24)
    private String verstat;
    /** the PASSporT's origid, signed or received */
    @Column(length = 36)
    private String origid;
    /** the node that handled the call (OT_NODE_ID, issue 20); null on CDRs from before */
    @Column(length = 64)
    private String node;

    public String getNode() { return node; }
    public void setNode(String node) { this.node = node; }

    public Long getId() { return id; }
    public String getRecordId() { return recordId; }
    public void setRecordId(String recordId) { this.recordId = recordId; }
    public String getDirection() { return direction; }
    public void setDirection(String direction) { this.direction = direction; }
    public String getACallId() { return aCallId; }
    public void setACallId(String aCallId) { this.aCallId = aCallId; }
    public String getBCallId() { return bCallId; }
    public void setBCallId(String bCallId) { this.bCallId = bCallId; }
    public Long getCustomerId() { return customerId; }
    public void setCustomerId(Long customerId) { this.customerId = customerId; }
    public Long getCarrierId() { return carrierId; }
    public void setCarrierId(Long carrierId) { this.carrierId = carrierId; }
    public String getCaller() { return caller; }
    public void setCaller(String caller) { this.caller = caller; }
    public String getCallee() { return callee; }
    public void setCallee(String callee) { this.callee = callee; }
    public long getStartMs() { return startMs; }
    public void setStartMs(long startMs) { this.startMs = startMs; }
    public Long getAnswerMs() { return answerMs; }
    public void setAnswerMs(Long answerMs) { this.answerMs = answerMs; }
    public Long getEndMs() { return endMs; }
    public void setEndMs(Long endMs) { this.endMs = endMs; }
    public Integer getSipStatus() { return sipStatus; }
    public void setSipStatus(Integer sipStatus) { this.sipStatus = sipStatus; }
    public String getDisconnectCause() { return disconnectCause; }
    public void setDisconnectCause(String disconnectCause) { this.disconnectCause = disconnectCause; }
    public String getXTag() { return xTag; }
    public void setXTag(String xTag) { this.xTag = xTag; }
    public String getCodec() { return codec; }
    public void setCodec(String codec) { this.codec = codec; }
    public boolean isFax() { return fax; }
    public void setFax(boolean fax) { this.fax = fax; }
    public String getRoute() { return route; }
    public void setRoute(String route) { this.route = route; }
    public int getDtmfCount() { return dtmfCount; }
    public void setDtmfCount(int dtmfCount) { this.dtmfCount = dtmfCount; }
    public String getDtmfDigits() { return dtmfDigits; }
    public void setDtmfDigits(String dtmfDigits) { this.dtmfDigits = dtmfDigits; }
    public boolean isEmergency() { return emergency; }
    public void setEmergency(boolean emergency) { this.emergency = emergency; }
    public String getAttestation() { return attestation; }
    public void setAttestation(String attestation) { this.attestation = attestation; }
    public String getVerstat() { return verstat; }
    public void setVerstat(String verstat) { this.verstat = verstat; }
    public String getOrigid() { return origid; }
    public void setOrigid(String origid) { this.origid = origid; }
}
