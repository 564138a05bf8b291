package org.opentrunk.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.config.ConfigSnapshot;
import org.opentrunk.core.config.Customer;
import org.opentrunk.core.config.DigestCredential;
import org.opentrunk.core.config.ProvisioningDefaults;

/** IC-IPAUTH: source address and tech prefix together. */
@Tag("IC-IPAUTH")
class IpAuthenticationTest {

    static final Customer ACME = Customer.byIp(1, "Acme", "12345678", Set.of("192.0.2.10"));
    static final Customer GLOBEX = Customer.byIp(2, "Globex", "87654321", Set.of("198.51.100.20"));
    static final Customer INITECH = new Customer(3, "Initech", Set.of("203.0.113.30"), "11112222",
            Optional.of(new DigestCredential("initech", "trunk.example.net", "0".repeat(32), "0".repeat(64))),
            ProvisioningDefaults.MAX_CHANNELS, ProvisioningDefaults.MAX_CPS, false, List.of());
    static final ConfigSnapshot CONFIG = new ConfigSnapshot(List.of(ACME, GLOBEX, INITECH), List.of(), List.of());

    private static IpAuthResult decide(String source, String user) {
        return IpAuthentication.decide(CONFIG, source, user);
    }

    @Test
    void ownAddressAndOwnPrefixAuthenticate() {
        IpAuthResult.Authenticated ok = assertInstanceOf(IpAuthResult.Authenticated.class,
                decide("192.0.2.10", "12345678*+12066418000"));
        assertEquals(ACME, ok.customer());
        assertEquals("+12066418000", ok.dialledNumberText());
        assertEquals("+12066418000", ok.dialledNumber().number().orElseThrow().value());
        assertInstanceOf(IpAuthResult.Authenticated.class, decide("192.0.2.10", "12345678%2312066418000"));
    }

    @Test
    void ipv4MappedAddressesAreRecognised() {
        assertInstanceOf(IpAuthResult.Authenticated.class, decide("::FFFF:192.0.2.10", "12345678#+12066418000"));
        assertInstanceOf(IpAuthResult.Authenticated.class, decide(" 192.0.2.10 ", "12345678#+12066418000"));
    }

    @Test
    void unknownAddressGoesToDigestWhateverThePrefix() {
        IpAuthResult.NotIpAuthenticated result = assertInstanceOf(IpAuthResult.NotIpAuthenticated.class,
                decide("203.0.113.99", "12345678*+12066418000"));
        assertEquals(IpAuthResult.Reason.UNKNOWN_SOURCE, result.reason());
        assertTrue(result.addressOwner().isEmpty());
        assertInstanceOf(IpAuthResult.NotIpAuthenticated.class, decide(null, null));
    }

    @Test
    void anotherCustomersPrefixIsRefusedWithoutSayingWhose() {
        IpAuthResult.Refused refused = assertInstanceOf(IpAuthResult.Refused.class,
                decide("192.0.2.10", "87654321*+12066418000"));
        assertEquals(403, refused.sipStatus());
        assertEquals(IpAuthentication.PREFIX_NOT_VALID, refused.reasonPhrase());
        assertFalse(refused.reasonPhrase().contains("87654321"));
        assertTrue(refused.detail().contains("customer 2"), refused.detail());
    }

    @Test
    void anUnknownPrefixIsRefusedEvenWithDigestCredentials() {
        IpAuthResult.Refused refused = assertInstanceOf(IpAuthResult.Refused.class,
                decide("203.0.113.30", "99999999*+12066418000"));
        assertEquals(IpAuthentication.PREFIX_NOT_VALID, refused.reasonPhrase());
        assertTrue(refused.detail().contains("no customer's"), refused.detail());
    }

    @Test
    void noPrefixFromAKnownAddressIsRefusedWithoutCredentials() {
        IpAuthResult.Refused refused = assertInstanceOf(IpAuthResult.Refused.class,
                decide("192.0.2.10", "+12066418000"));
        assertEquals(IpAuthentication.PREFIX_REQUIRED, refused.reasonPhrase());
    }

    @Test
    void noPrefixFromAKnownAddressGoesToDigestWithCredentials() {
        IpAuthResult.NotIpAuthenticated result = assertInstanceOf(IpAuthResult.NotIpAuthenticated.class,
                decide("203.0.113.30", "+12066418000"));
        assertEquals(IpAuthResult.Reason.NO_TECH_PREFIX, result.reason());
        assertEquals(Optional.of(INITECH), result.addressOwner());
    }

    // IC-SHARED-IP: a hosted PBX platform at 192.0.2.99 sends three tenants' calls.
    static final Customer TENANT_A = Customer.byIp(11, "Tenant A", "31000001", Set.of("192.0.2.99"));
    static final Customer TENANT_B = Customer.byIp(12, "Tenant B", "31000002", Set.of("192.0.2.99", "192.0.2.98"));
    static final Customer TENANT_C = new Customer(13, "Tenant C", Set.of("192.0.2.99"), "31000003",
            Optional.of(new DigestCredential("tenant-c", "trunk.example.net", "0".repeat(32), "0".repeat(64))),
            ProvisioningDefaults.MAX_CHANNELS, ProvisioningDefaults.MAX_CPS, false, List.of());
    static final ConfigSnapshot SHARED = new ConfigSnapshot(List.of(ACME, TENANT_A, TENANT_B, TENANT_C), List.of(), List.of());

    @Test
    @Tag("IC-SHARED-IP")
    void aSharedAddressIsTheCustomerWhosePrefixLeadsTheUser() {
        for (Customer tenant : List.of(TENANT_A, TENANT_B, TENANT_C)) {
            IpAuthResult.Authenticated result = assertInstanceOf(IpAuthResult.Authenticated.class,
                    IpAuthentication.decide(SHARED, "192.0.2.99", tenant.techPrefix() + "*+12066418000"));
            assertEquals(tenant, result.customer());
            assertEquals("+12066418000", result.dialledNumberText());
        }
    }

    @Test
    @Tag("IC-SHARED-IP")
    void aSharedAddressRefusesAPrefixOfNoneOfItsCustomers() {
        // Acme's prefix is known, but Acme does not send from the platform's address.
        IpAuthResult.Refused refused = assertInstanceOf(IpAuthResult.Refused.class,
                IpAuthentication.decide(SHARED, "192.0.2.99", ACME.techPrefix() + "*+12066418000"));
        assertEquals(IpAuthentication.PREFIX_NOT_VALID, refused.reasonPhrase());
        assertTrue(refused.detail().contains("customers 11, 12, 13"), refused.detail());
        assertEquals(new IpAuthResult.PrefixMiss("192.0.2.99", 3, Optional.of(ACME.techPrefix())), refused.miss(),
                "what the brute-force guard's counting decision needs");
        assertTrue(refused.miss().sharedAddress());
        assertInstanceOf(IpAuthResult.Refused.class, IpAuthentication.decide(SHARED, "192.0.2.98", "31000001*+12066418000"),
                "tenant A's prefix from tenant B's own second address");
    }

    @Test
    @Tag("IC-SHARED-IP")
    void aSharedAddressWithoutPrefixGoesToDigestWhenOneTenantHasCredentials() {
        IpAuthResult.NotIpAuthenticated result = assertInstanceOf(IpAuthResult.NotIpAuthenticated.class,
                IpAuthentication.decide(SHARED, "192.0.2.99", "+12066418000"));
        assertEquals(Optional.of(TENANT_C), result.addressOwner());
        ConfigSnapshot withoutDigest = new ConfigSnapshot(List.of(TENANT_A, TENANT_B), List.of(), List.of());
        IpAuthResult.Refused refused = assertInstanceOf(IpAuthResult.Refused.class,
                IpAuthentication.decide(withoutDigest, "192.0.2.99", "+12066418000"));
        assertEquals(IpAuthentication.PREFIX_REQUIRED, refused.reasonPhrase());
        assertEquals(new IpAuthResult.PrefixMiss("192.0.2.99", 2, Optional.empty()), refused.miss());
    }

    @Test
    void aRefusalNamesTheNormalisedAddressForTheGuard() {
        IpAuthResult.Refused refused = assertInstanceOf(IpAuthResult.Refused.class, decide("::ffff:192.0.2.10", "99999999*+12066418000"));
        assertEquals(new IpAuthResult.PrefixMiss("192.0.2.10", 1, Optional.of("99999999")), refused.miss());
        assertFalse(refused.miss().sharedAddress());
    }
}
