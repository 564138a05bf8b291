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
        TypedQuery<CdrEntity> query = em.createQuery(jpql.append(" ORDER BY c.startMs DESC, c.id DESC").toString(),
                CdrEntity.class);
        parameters.forEach(query::setParameter);
        return query.setMaxResults(q.limit()).getResultList();
    }
}
