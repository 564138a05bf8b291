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

    public static final ConfigSnapshot EMPTY = new ConfigSnapshot(List.of(), List.of());

    private final List<Customer> customers;
    private final List<Carrier> carriersInPriorityOrder;
    private final Map<String, Customer> customersByIp;
    private final Map<String, Carrier> carriersByHost;

    public ConfigSnapshot(List<Customer> customers, List<Carrier> carriers) {
        this.customers = List.copyOf(customers);
        this.carriersInPriorityOrder = carriers.stream()
                .sorted(Comparator.comparingInt(Carrier::priority).thenComparing(Carrier::id))
                .toList();
        Map<String, Customer> byIp = new HashMap<>();
        for (Customer customer : this.customers) {
            for (String ip : customer.ips()) {
                Customer other = byIp.putIfAbsent(ip, customer);
                if (other != null) {
                    throw new IllegalArgumentException("IP " + ip + " belongs to customers "
                            + other.id() + " and " + customer.id());
                }
            }
        }
        Map<String, Carrier> byHost = new HashMap<>();
        for (Carrier carrier : carriersInPriorityOrder) {
            byHost.putIfAbsent(carrier.host(), carrier);
        }
        this.customersByIp = Map.copyOf(byIp);
        this.carriersByHost = Map.copyOf(byHost);
    }

    public List<Customer> customers() {
        return customers;
    }

    /** All carriers, lowest priority value first. */
    public List<Carrier> carriers() {
        return carriersInPriorityOrder;
    }

    public Optional<Customer> customerByIp(String sourceAddress) {
        return Optional.ofNullable(customersByIp.get(sourceAddress));
    }

    /** The carrier whose host is this source address: its calls are inbound. */
    public Optional<Carrier> carrierByAddress(String sourceAddress) {
        return Optional.ofNullable(carriersByHost.get(sourceAddress));
    }
}
