package org.opentrunk.core.routing.dns;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;

/** The DNS server setting; resolution itself is tested against dnsmasq. */
class SipTargetResolverTest {

    @Test
    void serverIsHostAndOptionalPortOverIpv4() throws Exception {
        // host:port (blanks around it ignored): the queries go to that address and port
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            server.setSoTimeout(5_000);
            SipTargetResolver resolver =
                    new SipTargetResolver(" 127.0.0.1:" + server.getLocalPort() + " ", Duration.ofMillis(200));
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try {
                resolver.resolveSrvAsync("example.test", executor);
                DatagramPacket packet = new DatagramPacket(new byte[512], 512);
                server.receive(packet);
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                assertEquals("_sip._udp.example.test.", query.getSection(Section.QUESTION).get(0).getName().toString(),
                        "the configured server is asked");
            } finally {
                executor.shutdownNow();
            }
        }
        // the port is optional (53); null or blank means the system's resolvers
        assertDoesNotThrow(() -> new SipTargetResolver("127.0.0.1"), "host without port");
        assertDoesNotThrow(() -> new SipTargetResolver(null), "no server: the system's");
        assertDoesNotThrow(() -> new SipTargetResolver("  "), "blank: the system's");
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
