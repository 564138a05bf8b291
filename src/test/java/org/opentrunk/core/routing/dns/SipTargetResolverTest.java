package org.opentrunk.core.routing.dns;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The DNS server setting; resolution itself is tested against dnsmasq. */
class SipTargetResolverTest {

    @Test
    void serverIsHostAndOptionalPortOverIpv4() {
        new SipTargetResolver("127.0.0.1");
        new SipTargetResolver(" 127.0.0.1:5353 ");
        new SipTargetResolver(null);
        new SipTargetResolver("  ");
    }

    @Test
    void unusableServerSettingsAreRefused() {
        for (String bad : new String[] {"::1", "[::1]:53", "127.0.0.1:dns", "127.0.0.1:0", "127.0.0.1:70000", ":53"}) {
            assertThrows(IllegalArgumentException.class, () -> new SipTargetResolver(bad), bad);
        }
    }

    @Test
    void timeoutMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new SipTargetResolver("127.0.0.1", Duration.ZERO));
    }
}
