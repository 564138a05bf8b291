package org.opentrunk.core.front;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.config.Transport;

class TrustedFrontsTest {

    private static final TrustedFronts FRONTS = TrustedFronts.parse(" 127.0.0.10, 10.0.0.5 ");

    @Test
    void aTrustedFrontsHeaderNamesTheSource() {
        RequestSource source = FRONTS.sourceOf("127.0.0.10", 5060, Transport.UDP, "203.0.113.7:41234;transport=tcp");
        assertEquals(new RequestSource("203.0.113.7", 41234, Transport.TCP, true), source);
    }

    @Test
    void anyoneElsesHeaderIsIgnored() {
        RequestSource source = FRONTS.sourceOf("198.51.100.9", 5062, Transport.UDP, "203.0.113.7:5060;transport=udp");
        assertEquals(new RequestSource("198.51.100.9", 5062, Transport.UDP, false), source);
    }

    @Test
    void withoutFrontsNoHeaderIsBelieved() {
        RequestSource source = TrustedFronts.NONE.sourceOf("127.0.0.10", 5060, Transport.TCP, "203.0.113.7:5060");
        assertEquals(new RequestSource("127.0.0.10", 5060, Transport.TCP, false), source);
        assertTrue(TrustedFronts.parse("").isEmpty());
        assertTrue(TrustedFronts.parse(null).isEmpty());
    }

    @Test
    void aFrontsOwnRequestWithoutHeaderOrWithAMalformedOneIsTheFronts() {
        assertEquals(new RequestSource("127.0.0.10", 5060, Transport.UDP, false),
                FRONTS.sourceOf("127.0.0.10", 5060, Transport.UDP, null));
        for (String bad : new String[] {"", "203.0.113.7", "203.0.113.7:0", "203.0.113.7:70000", "203.0.113.256:5060",
                "203.0.113.7:5060;transport=sctp", "evil.example:5060", "203.0.113.7:5060, 10.0.0.1:5060",
                "203.0.113.7:5060;transport=udp" + " ".repeat(100)}) {
            assertFalse(FRONTS.sourceOf("127.0.0.10", 5060, Transport.UDP, bad).viaFront(), bad);
        }
    }

    /** IC-TLS: a PBX connected to the front over TLS keeps TLS as its transport. */
    @Test
    void theFrontMayNameTls() {
        assertEquals(Optional.of(new RequestSource("192.0.2.1", 5061, Transport.TLS, true)),
                SourceHeader.parse("192.0.2.1:5061;transport=tls"));
    }

    @Test
    void theHeaderWithoutTransportIsUdp() {
        assertEquals(Optional.of(new RequestSource("192.0.2.1", 5070, Transport.UDP, true)), SourceHeader.parse("192.0.2.1:5070"));
        assertEquals("192.0.2.1:5070;transport=udp", SourceHeader.value(SourceHeader.parse("192.0.2.1:5070").orElseThrow()));
    }

    @Test
    void aListEntryThatIsNoAddressIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrustedFronts.parse("127.0.0.10,front.example"));
        assertTrue(e.getMessage().contains("front.example"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrustedFronts.parse("127.0.0.10,,10.0.0.1"));
    }
}
