package org.opentrunk.store;

import java.util.List;
import java.util.Optional;
import javax.enterprise.context.ApplicationScoped;
import javax.persistence.EntityManager;
import javax.persistence.PersistenceContext;
import javax.persistence.TypedQuery;
import javax.transaction.Transactional;
import org.opentrunk.core.auth.digest.DigestAlgorithms;
import org.opentrunk.core.config.CallerIdPolicy;
import org.opentrunk.core.config.Carrier;
import org.opentrunk.core.numbering.Country;
import org.opentrunk.core.config.ConfigSnapshot;
import org.opentrunk.core.config.Customer;
import org.opentrunk.core.config.DidNumber;
import org.opentrunk.core.config.DigestCredential;
import org.opentrunk.core.config.Route;
import org.opentrunk.core.config.RouteType;
import org.opentrunk.core.config.Transport;

/**
 * Customers, carriers and numbers in the database. The only class that reads or writes them; it
 * checks uniqueness itself so that a clash is reported by field name (the database constraints
 * stay as the last line). Nothing here runs on a SIP thread: the call path reads the
 * {@link ConfigSnapshot} built by {@link #snapshot()}.
 */
@ApplicationScoped
@Transactional
public class ProvisioningStore {

    @PersistenceContext(unitName = "opentrunk")
    private EntityManager em;

    /** For repository tests outside the container. */
    public static ProvisioningStore using(EntityManager em) {
        ProvisioningStore store = new ProvisioningStore();
        store.em = em;
        return store;
    }

    // ---- customers

    public List<CustomerEntity> customers() {
        return em.createQuery("SELECT c FROM CustomerEntity c ORDER BY c.id", CustomerEntity.class).getResultList();
    }

    /**
     * Gives every customer from before schema version 9 its random origid (IC-STIR). Run once at
     * start-up, before the first snapshot; a no-op after.
     */
    public int assignMissingOrigids() {
        List<CustomerEntity> missing = em.createQuery("SELECT c FROM CustomerEntity c WHERE c.origid IS NULL",
                CustomerEntity.class).getResultList();
        missing.forEach(c -> c.setOrigid(java.util.UUID.randomUUID().toString()));
        return missing.size();
    }

    public CustomerEntity customer(long id) {
        return Optional.ofNullable(em.find(CustomerEntity.class, id))
                .orElseThrow(() -> new NotFoundException("no customer " + id));
    }

    public CustomerEntity saveCustomer(CustomerEntity customer) {
        checkCustomerUnique(customer);
        if (customer.getId() == null) {
            em.persist(customer);
            em.flush();
            return customer;
        }
        return em.merge(customer);
    }

    public void deleteCustomer(long id) {
        CustomerEntity customer = customer(id);
        long numbers = em.createQuery("SELECT COUNT(n) FROM NumberEntity n WHERE n.customerId = :id", Long.class)
                .setParameter("id", id).getSingleResult();
        if (numbers > 0) {
            throw new InUseException("customer " + id + " still has " + numbers + " number(s); delete or move them first");
        }
        em.remove(customer);
    }

    private void checkCustomerUnique(CustomerEntity c) {
        long self = c.getId() == null ? -1 : c.getId();
        if (!em.createQuery("SELECT c.id FROM CustomerEntity c WHERE c.techPrefix = :p AND c.id <> :self", Long.class)
                .setParameter("p", c.getTechPrefix()).setParameter("self", self).getResultList().isEmpty()) {
            throw new DuplicateException("techPrefix", "tech prefix " + c.getTechPrefix() + " belongs to another customer");
        }
        if (c.getSipUsername() != null && !em.createQuery(
                        "SELECT c.id FROM CustomerEntity c WHERE c.sipUsername = :u AND c.id <> :self", Long.class)
                .setParameter("u", c.getSipUsername()).setParameter("self", self).getResultList().isEmpty()) {
            throw new DuplicateException("username", "username " + c.getSipUsername() + " belongs to another customer");
        }
        // IC-SHARED-IP: addresses may be shared; the tech prefix (unique above) tells customers apart.
    }

    // ---- carriers

    public List<CarrierEntity> carriers() {
        return em.createQuery("SELECT c FROM CarrierEntity c ORDER BY c.priority, c.id", CarrierEntity.class).getResultList();
    }

    /** Each carrier's CA certificates (PEM) by carrier id, for the TLS trust store (IC-TLS); carriers without none. */
    public java.util.Map<String, String> carrierCaPems() {
        java.util.Map<String, String> pems = new java.util.TreeMap<>();
        for (CarrierEntity c : carriers()) {
            if (c.getCaPem() != null && !c.getCaPem().isBlank()) {
                pems.put(Long.toString(c.getId()), c.getCaPem());
            }
        }
        return pems;
    }

    public CarrierEntity carrier(long id) {
        return Optional.ofNullable(em.find(CarrierEntity.class, id))
                .orElseThrow(() -> new NotFoundException("no carrier " + id));
    }

    public CarrierEntity saveCarrier(CarrierEntity carrier) {
        long self = carrier.getId() == null ? -1 : carrier.getId();
        if (!em.createQuery("SELECT c.id FROM CarrierEntity c WHERE c.name = :n AND c.id <> :self", Long.class)
                .setParameter("n", carrier.getName()).setParameter("self", self).getResultList().isEmpty()) {
            throw new DuplicateException("name", "a carrier named " + carrier.getName() + " exists already");
        }
        if (carrier.getId() == null) {
            em.persist(carrier);
            em.flush();
            return carrier;
        }
        return em.merge(carrier);
    }

    public void deleteCarrier(long id) {
        em.remove(carrier(id));
    }

    // ---- numbers

    /** Numbers, optionally those containing {@code search} or of one customer, in number order. */
    public List<NumberEntity> numbers(String search, Long customerId, int offset, int limit) {
        StringBuilder jpql = new StringBuilder("SELECT n FROM NumberEntity n WHERE 1 = 1");
        if (search != null) {
            jpql.append(" AND n.e164 LIKE :pattern");
        }
        if (customerId != null) {
            jpql.append(" AND n.customerId = :customer");
        }
        TypedQuery<NumberEntity> query = em.createQuery(jpql.append(" ORDER BY n.e164").toString(), NumberEntity.class);
        if (search != null) {
            query.setParameter("pattern", "%" + search.replace("%", "").replace("_", "") + "%");
        }
        if (customerId != null) {
            query.setParameter("customer", customerId);
        }
        return query.setFirstResult(offset).setMaxResults(limit).getResultList();
    }

    public Optional<NumberEntity> findNumber(String e164) {
        return Optional.ofNullable(em.find(NumberEntity.class, e164));
    }

    public NumberEntity number(String e164) {
        return findNumber(e164).orElseThrow(() -> new NotFoundException("no number " + e164));
    }

    public NumberEntity createNumber(NumberEntity number) {
        if (findNumber(number.getE164()).isPresent()) {
            throw new DuplicateException("e164", number.getE164() + " is provisioned already");
        }
        customer(number.getCustomerId());
        em.persist(number);
        em.flush();
        return number;
    }

    public NumberEntity updateNumber(NumberEntity number) {
        customer(number.getCustomerId());
        return em.merge(number);
    }

    public void deleteNumber(String e164) {
        em.remove(number(e164));
    }

    // ---- the destination block list

    public List<BlockedPrefixEntity> blockedPrefixes() {
        return em.createQuery("SELECT b FROM BlockedPrefixEntity b ORDER BY b.prefix", BlockedPrefixEntity.class)
                .getResultList();
    }

    public BlockedPrefixEntity block(BlockedPrefixEntity blocked) {
        if (em.find(BlockedPrefixEntity.class, blocked.getPrefix()) != null) {
            throw new DuplicateException("prefix", blocked.getPrefix() + " is blocked already");
        }
        em.persist(blocked);
        return blocked;
    }

    public void unblock(String prefix) {
        BlockedPrefixEntity blocked = em.find(BlockedPrefixEntity.class, prefix);
        if (blocked == null) {
            throw new NotFoundException(prefix + " is not blocked");
        }
        em.remove(blocked);
    }

    // ---- the call path's view

    /** Everything the call path needs, as one immutable snapshot. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public ConfigSnapshot snapshot() {
        List<Customer> customers = customers().stream().map(ProvisioningStore::toCustomer).toList();
        List<Carrier> carriers = carriers().stream().map(ProvisioningStore::toCarrier).toList();
        List<DidNumber> numbers = em.createQuery("SELECT n FROM NumberEntity n", NumberEntity.class).getResultList()
                .stream().map(ProvisioningStore::toNumber).toList();
        List<String> blocked = blockedPrefixes().stream().map(BlockedPrefixEntity::getPrefix).toList();
        return new ConfigSnapshot(customers, carriers, numbers, blocked);
    }

    static Customer toCustomer(CustomerEntity c) {
        Optional<DigestCredential> digest = c.getSipUsername() == null ? Optional.empty()
                : Optional.of(new DigestCredential(c.getSipUsername(), c.getSipRealm(), c.getHa1Md5(), c.getHa1Sha256(),
                        DigestAlgorithms.parse(c.getDigestAlgorithms())));
        return new Customer(c.getId(), c.getName(), java.util.Set.copyOf(c.getIps()), c.getTechPrefix(), digest, c.getMaxChannels(),
                c.getMaxCps(), c.isAnchorMedia(), List.copyOf(c.getAllowedPrefixes()), country(c.getCountry()),
                CallerIdPolicy.parse(c.getCallerIdPolicy()), java.util.Set.copyOf(c.getVerifiedNumbers()), c.getMaxCallSeconds(),
                c.getOrigid() != null ? c.getOrigid() : Customer.derivedOrigid(c.getId()), c.isRequireSrtp());
    }

    static Carrier toCarrier(CarrierEntity c) {
        return new Carrier(c.getId(), c.getName(), c.getHost(), c.getPort(), Transport.parse(c.getTransport()),
                c.getPriority(), c.getWeight(), c.isEnabled(), country(c.getCountry()), c.isEmergency(), c.isSigning(),
                c.getInbound().toPolicy());
    }

    private static Optional<Country> country(String code) {
        return code == null || code.isBlank() ? Optional.empty() : Optional.of(Country.of(code));
    }

    static DidNumber toNumber(NumberEntity n) {
        List<Route> routes = n.getRoutes().stream()
                .map(r -> new Route(RouteType.parse(r.getType()), r.getTarget(), r.getPriority())).toList();
        return new DidNumber(n.getE164(), n.getCustomerId(), n.isCnamLookup(), Optional.ofNullable(n.getCnamName()), routes,
                n.getStirFailedStatus());
    }
}
