package org.opentrunk.core.auth;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.opentrunk.core.address.LogText;
import org.opentrunk.core.config.ConfigSnapshot;
import org.opentrunk.core.config.Customer;

/**
 * IP-based authentication of a customer's initial INVITE (IC-IPAUTH): the source address must be
 * one of the customer's static IPv4 addresses <em>and</em> the Request-URI user must start with that
 * customer's tech prefix. Neither alone is enough: addresses are shared (NAT, hosted PBX platforms)
 * and prefixes are not secrets.
 *
 * <table>
 *   <caption>Decisions</caption>
 *   <tr><th>Source address</th><th>Request-URI user</th><th>Result</th></tr>
 *   <tr><td>no customer's</td><td>anything</td><td>{@link IpAuthResult.NotIpAuthenticated} (digest)</td></tr>
 *   <tr><td>customer C's</td><td>C's prefix</td><td>{@link IpAuthResult.Authenticated} as C</td></tr>
 *   <tr><td>customers' of this address</td><td>none of their prefixes</td><td>{@link IpAuthResult.Refused} 403</td></tr>
 *   <tr><td>customers' of this address</td><td>no prefix, one of them has digest credentials</td><td>{@link IpAuthResult.NotIpAuthenticated} (digest)</td></tr>
 *   <tr><td>customers' of this address</td><td>no prefix, none has</td><td>{@link IpAuthResult.Refused} 403</td></tr>
 * </table>
 *
 * <p>Why: a user that starts with eight digits and a delimiter is an IP-authentication attempt, so
 * it is decided by IP authentication alone. A wrong prefix from a known address is a PBX
 * misconfiguration or an attempt to bill another account; a 403 says so at once, where a digest
 * challenge would either fail for a PBX without a password or, worse, mask the misconfiguration.
 * A known address without a prefix may be a customer that authenticates by password from the same
 * site (phones behind the PBX's NAT), so it gets a challenge when the customer has credentials; a
 * customer without credentials could never answer one, and gets the 403 that names the problem.
 *
 * <p>The 403 reason phrase says "prefix required" or "prefix not valid from this address", never
 * whether a wrong prefix belongs to another customer: a customer must not be able to probe for
 * other customers' prefixes. The log detail says everything.
 */
public final class IpAuthentication {

    public static final int FORBIDDEN = 403;
    public static final String PREFIX_REQUIRED = "Forbidden (Tech Prefix Required)";
    public static final String PREFIX_NOT_VALID = "Forbidden (Tech Prefix Not Valid From This Address)";

    /** How dual-stack sockets show an IPv4 peer; the configuration holds plain dotted quads (IC-IPV4). */
    private static final String IPV4_MAPPED = "::ffff:";

    private IpAuthentication() {
    }

    /**
     * Decides an initial INVITE; never throws for any input.
     *
     * @param config         the configuration snapshot of this request
     * @param sourceAddress  the address the request came from, as the container reports it
     * @param requestUriUser the user part of the Request-URI
     */
    public static IpAuthResult decide(ConfigSnapshot config, String sourceAddress, String requestUriUser) {
        String address = normalise(sourceAddress);
        List<Customer> owners = config.customersByIp(address);
        if (owners.isEmpty()) {
            return new IpAuthResult.NotIpAuthenticated(IpAuthResult.Reason.UNKNOWN_SOURCE, Optional.empty());
        }
        Optional<TechPrefixUser> user = TechPrefixUser.parse(requestUriUser);
        if (user.isEmpty()) {
            Optional<Customer> withDigest = owners.stream().filter(c -> c.digest().isPresent()).findFirst();
            if (withDigest.isPresent()) {
                return new IpAuthResult.NotIpAuthenticated(IpAuthResult.Reason.NO_TECH_PREFIX, withDigest);
            }
            return new IpAuthResult.Refused(FORBIDDEN, PREFIX_REQUIRED, "request from " + LogText.quote(sourceAddress)
                    + " of " + describe(owners) + " has no tech prefix in Request-URI user "
                    + LogText.quote(requestUriUser) + ", and no customer of that address has digest credentials",
                    new IpAuthResult.PrefixMiss(address, owners.size(), Optional.empty()));
        }
        String prefix = user.get().techPrefix();
        for (Customer owner : owners) {
            if (prefix.equals(owner.techPrefix())) {
                return new IpAuthResult.Authenticated(owner, user.get().dialled());
            }
        }
        String whose = config.customerByTechPrefix(prefix)
                .map(other -> "the tech prefix of customer " + other.id())
                .orElse("no customer's tech prefix");
        return new IpAuthResult.Refused(FORBIDDEN, PREFIX_NOT_VALID, "request from " + LogText.quote(sourceAddress)
                + " of " + describe(owners) + " carries tech prefix " + prefix + ", which is " + whose,
                new IpAuthResult.PrefixMiss(address, owners.size(), Optional.of(prefix)));
    }

    private static String describe(List<Customer> owners) {
        return owners.size() == 1 ? "customer " + owners.get(0).id()
                : "customers " + owners.stream().map(c -> String.valueOf(c.id())).collect(Collectors.joining(", "));
    }

    /** Trims and unwraps an IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.10}). */
    static String normalise(String address) {
        if (address == null) {
            return "";
        }
        String a = address.strip();
        if (a.toLowerCase(Locale.ROOT).startsWith(IPV4_MAPPED) && a.indexOf('.') > 0) {
            return a.substring(IPV4_MAPPED.length());
        }
        return a;
    }
}
