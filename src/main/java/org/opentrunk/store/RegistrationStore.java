package org.opentrunk.store;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.enterprise.context.ApplicationScoped;
import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import javax.persistence.PersistenceContext;
import javax.transaction.Transactional;
import org.opentrunk.core.registrar.Binding;

/**
 * The registrar's bindings in the database, so that a restart does not lose them. The in-memory
 * {@code BindingTable} is what the call path reads; this store follows it: after each change a
 * customer's rows are replaced with its current bindings, and at startup the unexpired rows fill
 * the table again. Nothing here runs on a SIP thread.
 */
@ApplicationScoped
@Transactional
public class RegistrationStore {

    private static final Logger LOG = Logger.getLogger(RegistrationStore.class.getName());

    @PersistenceContext(unitName = "opentrunk")
    private EntityManager em;

    /** For repository tests outside the container. */
    public static RegistrationStore using(EntityManager em) {
        RegistrationStore store = new RegistrationStore();
        store.em = em;
        return store;
    }

    /**
     * Makes the customer's stored bindings exactly {@code current}, in one transaction. Calls for
     * one customer should be made one at a time, with the table's bindings as they are at the time
     * of the call, so that an older list can never be written over a newer one.
     *
     * @throws NotFoundException        when the customer no longer exists (deleted meanwhile)
     * @throws IllegalArgumentException when a binding is another customer's
     */
    public void replaceBindings(long customerId, List<Binding> current) {
        if (current.stream().anyMatch(b -> b.customerId() != customerId)) {
            throw new IllegalArgumentException("a binding of another customer in customer " + customerId + "'s list");
        }
        // Locking the customer's row serialises two replaces of one customer: without it, both could
        // delete and then both insert, and the second insert would fail on the primary key.
        if (em.find(CustomerEntity.class, customerId, LockModeType.PESSIMISTIC_WRITE) == null) {
            throw new NotFoundException("no customer " + customerId);
        }
        em.createQuery("DELETE FROM RegistrationEntity r WHERE r.customerId = :customer")
                .setParameter("customer", customerId).executeUpdate();
        current.stream().map(RegistrationEntity::of).forEach(em::persist);
    }

    /**
     * Every binding that has not expired at {@code nowMs}, customer by customer. A row that breaks
     * a binding's rules (edited by hand, say) is skipped and logged, so that one bad row cannot stop
     * the registrar from starting.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Binding> loadUnexpired(long nowMs) {
        return bindings(em.createQuery(
                        "SELECT r FROM RegistrationEntity r WHERE r.expiresAtMs > :now ORDER BY r.customerId, r.expiresAtMs, r.contactUri",
                        RegistrationEntity.class)
                .setParameter("now", nowMs).getResultList());
    }

    /** One customer's bindings still valid at {@code nowMs} (another node stored them, issue 20). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Binding> loadCustomer(long customerId, long nowMs) {
        return bindings(em.createQuery(
                        "SELECT r FROM RegistrationEntity r WHERE r.customerId = :customer AND r.expiresAtMs > :now"
                                + " ORDER BY r.expiresAtMs, r.contactUri", RegistrationEntity.class)
                .setParameter("customer", customerId).setParameter("now", nowMs).getResultList());
    }

    private static List<Binding> bindings(List<RegistrationEntity> rows) {
        List<Binding> bindings = new ArrayList<>();
        for (RegistrationEntity row : rows) {
            try {
                bindings.add(row.toBinding());
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "skipping stored binding of customer {0}: {1}",
                        new Object[] {row.getCustomerId(), e.getMessage()});
            }
        }
        return bindings;
    }

    /** Deletes every binding expired at {@code nowMs}; returns how many. */
    public int deleteExpired(long nowMs) {
        return em.createQuery("DELETE FROM RegistrationEntity r WHERE r.expiresAtMs <= :now")
                .setParameter("now", nowMs).executeUpdate();
    }
}
