package org.opentrunk.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.config.ConfigSnapshot;
import org.opentrunk.core.config.Customer;
import org.opentrunk.core.config.DigestCredential;
import org.opentrunk.core.config.ProvisioningDefaults;

/** IC-IPAUTH: source address and tech prefix together. */
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
}
