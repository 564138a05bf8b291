package org.opentrunk.core.config;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable view of the provisioning that the call path reads: it never queries the
 * database per call. A new snapshot replaces the old one as a whole when the configuration
 * changes ({@link TrunkConfig#replace}), so a call sees one consistent version.
 */
public final class ConfigSnapshot {

    public static final ConfigSnapshot EMPTY = new ConfigSnapshot(List.of(), List.of(), List.of());

    private final List<Customer> customers;
    private final List<Carrier> carriersInPriorityOrder;
    private final Map<String, List<Customer>> customersByIp;
    private final Map<String, Carrier> carriersByHost;
    private final Map<String, Customer> customersByTechPrefix;
    private final Map<String, Customer> customersByUsername;
    private final Map<String, DidNumber> numbersByE164;
    private final Map<Long, Customer> customersById;

    private final List<String> blockedPrefixes;

    public ConfigSnapshot(List<Customer> customers, List<Carrier> carriers, List<DidNumber> numbers) {
        this(customers, carriers, numbers, List.of());
    }

    /** @param blockedPrefixes E.164 prefixes no customer may call (the operator's block list) */
    public ConfigSnapshot(List<Customer> customers, List<Carrier> carriers, List<DidNumber> numbers,
                          List<String> blockedPrefixes) {
        this.blockedPrefixes = List.copyOf(blockedPrefixes);
        this.customers = List.copyOf(customers);
        this.carriersInPriorityOrder = carriers.stream()
                .sorted(Comparator.comparingInt(Carrier::priority).thenComparing(Carrier::id))
                .toList();
        // IC-SHARED-IP: one address may be several customers' (a hosted PBX platform).
        Map<String, List<Customer>> byIp = new HashMap<>();
        for (Customer customer : this.customers) {
            for (String ip : customer.ips()) {
                byIp.computeIfAbsent(ip, k -> new java.util.ArrayList<>()).add(customer);
            }
        }
        byIp.replaceAll((ip, owners) -> List.copyOf(owners));
        Map<String, Carrier> byHost = new HashMap<>();
        for (Carrier carrier : carriersInPriorityOrder) {
            byHost.putIfAbsent(carrier.host(), carrier);
        }
        this.customersByIp = Map.copyOf(byIp);
        this.carriersByHost = Map.copyOf(byHost);
        Map<String, Customer> byPrefix = new HashMap<>();
        Map<String, Customer> byUsername = new HashMap<>();
        Map<Long, Customer> byId = new HashMap<>();
        for (Customer customer : this.customers) {
            byId.put(customer.id(), customer);
            byPrefix.put(customer.techPrefix(), customer);
            customer.digest().ifPresent(d -> byUsername.put(d.username(), customer));
        }
        this.customersByTechPrefix = Map.copyOf(byPrefix);
        this.customersByUsername = Map.copyOf(byUsername);
        this.customersById = Map.copyOf(byId);
        Map<String, DidNumber> byE164 = new HashMap<>();
        numbers.forEach(n -> byE164.put(n.e164(), n));
        this.numbersByE164 = Map.copyOf(byE164);
    }

    public Optional<Customer> customerByTechPrefix(String techPrefix) {
        return Optional.ofNullable(customersByTechPrefix.get(techPrefix));
    }

    /** A customer by id, e.g. the owner of a number. */
    public Optional<Customer> customer(long id) {
        return Optional.ofNullable(customersById.get(id));
    }

    /** The customer whose SIP digest username this is. */
    public Optional<Customer> customerByUsername(String username) {
        return Optional.ofNullable(customersByUsername.get(username));
    }

    /** A provisioned number, by its {@code +} E.164 form. */
    public Optional<DidNumber> number(String e164) {
        return Optional.ofNullable(numbersByE164.get(e164));
    }

    /** The numbers of a customer, in number order (a small scan: for rare uses such as emergency calls). */
    public List<String> numbersOf(long customerId) {
        return numbersByE164.values().stream().filter(n -> n.customerId() == customerId).map(DidNumber::e164).sorted().toList();
    }

    /** True when {@code e164} starts with a prefix on the operator's block list. */
    public boolean isBlocked(String e164) {
        for (String prefix : blockedPrefixes) {
            if (e164.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    public List<String> blockedPrefixes() {
        return blockedPrefixes;
    }

    public int numberCount() {
        return numbersByE164.size();
    }

    public List<Customer> customers() {
        return customers;
    }

    /** All carriers, lowest priority value first. */
    public List<Carrier> carriers() {
        return carriersInPriorityOrder;
    }

    /** The customers that send from this address, in id order; empty for no customer's (IC-SHARED-IP). */
    public List<Customer> customersByIp(String sourceAddress) {
        return customersByIp.getOrDefault(sourceAddress, List.of());
    }

    /** True when some customer sends from this address. */
    public boolean isCustomerAddress(String sourceAddress) {
        return customersByIp.containsKey(sourceAddress);
    }

    /** The carrier whose host is this source address: its calls are inbound. */
    public Optional<Carrier> carrierByAddress(String sourceAddress) {
        return Optional.ofNullable(carriersByHost.get(sourceAddress));
    }
}
