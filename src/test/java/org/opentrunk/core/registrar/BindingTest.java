package org.opentrunk.core.registrar;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.config.Transport;

/** A binding's own rules, which stored rows must follow as much as new ones. */
class BindingTest {

    private static Binding binding(String uri, String source, int port, String callId, long cseq, Optional<String> ua) {
        return new Binding(7, uri, source, port, Transport.UDP, 1_000, callId, cseq, Optional.empty(), ua);
    }

    @Test
    void aValidBindingIsKeptAsGiven() {
        Binding b = binding("sip:100@192.168.1.5:5060;transport=udp", "198.51.100.7", 5060, "abc@pbx", 0, Optional.of("PBX"));
        assertEquals("sip:100@192.168.1.5:5060;transport=udp", b.contactUri());
        assertEquals("192.168.1.5", b.uri().host());
        assertDoesNotThrow(() -> binding("sip:1@h", "0.0.0.0", 65535, "x", Binding.MAX_CSEQ, Optional.empty()));
    }

    @Test
    void everyFieldIsBounded() {
        String ok = "sip:100@192.168.1.5";
        assertThrows(IllegalArgumentException.class, () -> binding("sips:100@h", "198.51.100.7", 5060, "c", 1, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> binding("<" + ok + ">", "198.51.100.7", 5060, "c", 1, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> binding(ok + ";x=" + "a".repeat(Binding.MAX_CONTACT_URI_LENGTH),
                "198.51.100.7", 5060, "c", 1, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> binding(ok, "2001:db8::1", 5060, "c", 1, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> binding(ok, "256.1.1.1", 5060, "c", 1, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> binding(ok, "198.51.100.7", 0, "c", 1, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> binding(ok, "198.51.100.7", 5060, "", 1, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> binding(ok, "198.51.100.7", 5060, "a b", 1, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> binding(ok, "198.51.100.7", 5060,
                "c".repeat(Binding.MAX_CALL_ID_LENGTH + 1), 1, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> binding(ok, "198.51.100.7", 5060, "c", -1, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> binding(ok, "198.51.100.7", 5060, "c", Binding.MAX_CSEQ + 1,
                Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> binding(ok, "198.51.100.7", 5060, "c", 1,
                Optional.of("u".repeat(Binding.MAX_USER_AGENT_LENGTH + 1))));
        assertThrows(IllegalArgumentException.class, () -> binding(ok, "198.51.100.7", 5060, "c", 1, Optional.of("a\nb")));
        assertThrows(IllegalArgumentException.class, () -> binding(ok, "198.51.100.7", 5060, "c", 1, Optional.of("")));
    }

    @Test
    void expiryIsExclusiveAndRemainingSecondsRoundUp() {
        Binding b = binding("sip:100@192.168.1.5", "198.51.100.7", 5060, "c", 1, Optional.empty());
        assertEquals(false, b.isExpired(999));
        assertEquals(true, b.isExpired(1_000));
        assertEquals(1, b.remainingSeconds(1));
        assertEquals(0, b.remainingSeconds(1_000));
        assertEquals(0, b.remainingSeconds(5_000));
    }
}
