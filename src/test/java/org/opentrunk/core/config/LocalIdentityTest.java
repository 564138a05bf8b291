package org.opentrunk.core.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalIdentityTest {

    private final LocalIdentity identity = new LocalIdentity("Trunk.Example.net", Set.of("203.0.113.7", "127.0.0.1"));

    @Test
    void theTrunksDomainAndAddressesAreOurs() {
        assertTrue(identity.isOurs("trunk.example.net"));
        assertTrue(identity.isOurs("TRUNK.EXAMPLE.NET."), "case and the root's trailing dot do not matter");
        assertTrue(identity.isOurs("203.0.113.7"));
        assertTrue(identity.isOurs("127.0.0.1"));
        assertTrue(identity.isOurs("localhost"));
    }

    @Test
    void anyOtherHostIsARelayAttempt() {
        assertFalse(identity.isOurs("example.com"));
        assertFalse(identity.isOurs("sub.trunk.example.net"));
        assertFalse(identity.isOurs("198.51.100.1"));
        assertFalse(identity.isOurs(""));
        assertFalse(identity.isOurs(null));
    }
}
