package org.opentrunk.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SocketTableTest {

    @Test
    void anAddressIsWrittenAsTheKernelDoes() {
        assertEquals("0200007F:13C4", SocketTable.hex("127.0.0.2", 5060));
    }

    @Test
    void anOpenSocketIsListedAndAClosedOneNot() throws Exception {
        Path udp = Path.of("/proc/net/udp");
        String local;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            local = SocketTable.hex("127.0.0.1", socket.getLocalPort());
            assertTrue(SocketTable.lists(udp, local));
        }
        assertFalse(SocketTable.lists(udp, local));
    }
}
