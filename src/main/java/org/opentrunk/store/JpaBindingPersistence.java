package org.opentrunk.store;

import java.util.List;
import javax.enterprise.context.ApplicationScoped;
import javax.persistence.EntityManager;
import javax.persistence.PersistenceContext;
import javax.transaction.Transactional;
import org.opentrunk.core.registrar.Binding;
import org.opentrunk.core.registrar.BindingPersistence;

/** The registrar's bindings in the database: each call one JTA transaction. */
@ApplicationScoped
public class JpaBindingPersistence implements BindingPersistence {

    @PersistenceContext(unitName = "opentrunk")
    private EntityManager em;

    @Override
    @Transactional
    public void replace(long customerId, List<Binding> current) {
        RegistrationStore.using(em).replaceBindings(customerId, current);
    }

    @Override
    @Transactional
    public List<Binding> loadUnexpired(long nowMs) {
        return RegistrationStore.using(em).loadUnexpired(nowMs);
    }

    @Override
    public List<Binding> loadCustomer(long customerId, long nowMs) {
        return RegistrationStore.using(em).loadCustomer(customerId, nowMs);
    }

    @Override
    @Transactional
    public int deleteExpired(long nowMs) {
        return RegistrationStore.using(em).deleteExpired(nowMs);
    }
}
