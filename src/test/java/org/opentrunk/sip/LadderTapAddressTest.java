package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The HEP export's addresses from SIP text: literals only, never a name looked up on a SIP thread. */
class LadderTapAddressTest {

    @Test
    void onlyLiteralsBecomeAddresses() throws Exception {
        assertEquals(InetAddress.getByName("192.0.2.1"), LadderTap.literal("192.0.2.1"));
        assertEquals(InetAddress.getByName("2001:db8::1"), LadderTap.literal("[2001:db8::1]"));
        assertNull(LadderTap.literal("carrier.example.com"), "a name is not resolved");
        assertNull(LadderTap.literal("localhost"));
        assertNull(LadderTap.literal(""));
        assertNull(LadderTap.literal(null));
    }

    @Test
    void nextHopsAndViasGiveHostAndPort() {
        assertEquals(new LadderTap.HostPort("192.0.2.7", 5080), LadderTap.HostPort.of("sip:+4930@192.0.2.7:5080;user=phone"));
        assertEquals(new LadderTap.HostPort("192.0.2.7", 5060), LadderTap.HostPort.of("<sip:192.0.2.7;lr>"));
        assertEquals(new LadderTap.HostPort("[2001:db8::7]", 5062), LadderTap.HostPort.of("sip:[2001:db8::7]:5062"));
        assertEquals(new LadderTap.HostPort("127.0.0.181", 20990),
                LadderTap.viaSentBy("SIP/2.0/UDP 127.0.0.181:20990;branch=z9hG4bKx;rport"));
        assertEquals(new LadderTap.HostPort("10.0.0.1", 5060), LadderTap.viaSentBy("SIP/2.0/TCP 10.0.0.1;branch=z9hG4bKy, SIP/2.0/UDP 10.0.0.2"));
        assertNull(LadderTap.viaSentBy(null));
    }
}
