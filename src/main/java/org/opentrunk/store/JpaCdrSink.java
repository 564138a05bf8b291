package org.opentrunk.store;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.enterprise.context.ApplicationScoped;
import javax.persistence.EntityManager;
import javax.persistence.PersistenceContext;
import javax.transaction.Transactional;
import org.opentrunk.core.cdr.CallRecord;

/**
 * Where the CDR writer's batches land: one transaction per batch, and records whose id is stored
 * already are skipped, so the writer's at-least-once delivery stores each CDR exactly once.
 */
@ApplicationScoped
public class JpaCdrSink implements CdrSink {

    @PersistenceContext(unitName = "opentrunk")
    private EntityManager em;
    /** This node's id, written into every CDR it stores (issue 20); set once by the composition root. */
    private volatile String node;

    /** The node id written into the CDRs from now on. */
    public void node(String nodeId) {
        this.node = nodeId;
    }

    @Override
    @Transactional
    public void write(List<CallRecord> records) {
        List<String> ids = records.stream().map(CallRecord::recordId).toList();
        Set<String> stored = new HashSet<>(em.createQuery(
                "SELECT c.recordId FROM CdrEntity c WHERE c.recordId IN :ids", String.class)
                .setParameter("ids", ids).getResultList());
        for (CallRecord r : records) {
            if (stored.add(r.recordId())) {
                CdrEntity entity = toEntity(r);
                entity.setNode(node);
                em.persist(entity);
            }
        }
    }

    static CdrEntity toEntity(CallRecord r) {
        CdrEntity e = new CdrEntity();
        e.setRecordId(r.recordId());
        e.setDirection(r.direction().text());
        e.setACallId(r.aLegCallId());
        e.setBCallId(r.bLegCallId());
        e.setCustomerId(r.customerId());
        e.setCarrierId(r.carrierId());
        e.setCaller(r.caller());
        e.setCallee(r.callee());
        e.setStartMs(r.startMs());
        e.setAnswerMs(r.answerMs());
        e.setEndMs(r.endMs());
        e.setSipStatus(r.sipStatus());
        e.setDisconnectCause(r.disconnectCause().text());
        e.setXTag(r.xTag());
        e.setCodec(r.codec());
        e.setFax(r.fax());
        e.setRoute(r.route());
        e.setDtmfCount(r.dtmfCount());
        e.setDtmfDigits(r.dtmfDigits());
        e.setEmergency(r.emergency());
        e.setAttestation(r.attestation());
        e.setVerstat(r.verstat());
        e.setOrigid(r.origid());
        return e;
    }
}
