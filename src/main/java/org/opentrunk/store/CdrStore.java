package org.opentrunk.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.enterprise.context.ApplicationScoped;
import javax.persistence.EntityManager;
import javax.persistence.PersistenceContext;
import javax.persistence.TypedQuery;
import javax.transaction.Transactional;

/** Call detail records in the database. */
@ApplicationScoped
@Transactional
public class CdrStore {

    @PersistenceContext(unitName = "opentrunk")
    private EntityManager em;

    public static CdrStore using(EntityManager em) {
        CdrStore store = new CdrStore();
        store.em = em;
        return store;
    }

    /** Writes a batch of CDRs in one transaction. */
    public void record(List<CdrEntity> cdrs) {
        cdrs.forEach(em::persist);
    }

    /** The CDR with this id (the API's {@code id}), or null. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public CdrEntity byId(long id) {
        return em.find(CdrEntity.class, id);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<CdrEntity> find(CdrQuery q) {
        StringBuilder jpql = new StringBuilder("SELECT c FROM CdrEntity c WHERE 1 = 1");
        Map<String, Object> parameters = new HashMap<>();
        if (q.sinceMs() != null) {
            jpql.append(" AND c.startMs >= :since");
            parameters.put("since", q.sinceMs());
        }
        if (q.untilMs() != null) {
            jpql.append(" AND c.startMs < :until");
            parameters.put("until", q.untilMs());
        }
        if (q.number() != null) {
            jpql.append(" AND (c.caller = :number OR c.callee = :number)");
            parameters.put("number", q.number());
        }
        if (q.customerId() != null) {
            jpql.append(" AND c.customerId = :customer");
            parameters.put("customer", q.customerId());
        }
        if (q.direction() != null) {
            jpql.append(" AND c.direction = :direction");
            parameters.put("direction", q.direction());
        }
        if (q.sipStatus() != null) {
            jpql.append(" AND c.sipStatus = :status");
            parameters.put("status", q.sipStatus());
        }
        if (q.emergency() != null) {
            jpql.append(" AND c.emergency = :emergency");
            parameters.put("emergency", q.emergency());
        }
        TypedQuery<CdrEntity> query = em.createQuery(jpql.append(" ORDER BY c.startMs DESC, c.id DESC").toString(),
                CdrEntity.class);
        parameters.forEach(query::setParameter);
        // EclipseLink's H2 platform writes parameters into the SQL text, a boolean as 1, which H2 2.x
        // will not compare with a BOOLEAN column (the emergency filter, IC-EMERGENCY): bind them instead.
        query.setHint("eclipselink.jdbc.bind-parameters", "true");
        return query.setFirstResult(q.offset()).setMaxResults(q.limit()).getResultList();
    }

    /** How many call attempts started at or after {@code sinceMs}, and how many of them were answered. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Attempts attemptsSince(long sinceMs) {
        Object[] row = em.createQuery("SELECT COUNT(c), COUNT(c.answerMs) FROM CdrEntity c WHERE c.startMs >= :since",
                Object[].class).setParameter("since", sinceMs).getSingleResult();
        return new Attempts(((Number) row[0]).longValue(), ((Number) row[1]).longValue());
    }

    /** Counts of recorded call attempts. */
    public record Attempts(long total, long answered) {
    }
}
