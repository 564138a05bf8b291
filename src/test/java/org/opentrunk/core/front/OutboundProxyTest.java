package org.opentrunk.core.front;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutboundProxyTest {

    @Test
    void looseRoutingIsAddedWhenMissing() {
        assertEquals(Optional.of(new OutboundProxy("sip:127.0.0.10:5060;lr")), OutboundProxy.parse("sip:127.0.0.10:5060"));
        assertEquals(Optional.of(new OutboundProxy("sip:front.example;transport=tcp;lr")),
                OutboundProxy.parse(" sip:front.example;transport=tcp;lr "));
    }

    @Test
    void emptyIsNone() {
        assertEquals(Optional.empty(), OutboundProxy.parse(""));
        assertEquals(Optional.empty(), OutboundProxy.parse(null));
    }

    @Test
    void anythingButAUserlessSipUriIsRefused() {
        for (String bad : new String[] {"127.0.0.10:5060", "sips:front.example", "sip:user@front.example", "sip:front example",
                "sip:" + "a".repeat(300)}) {
            assertThrows(IllegalArgumentException.class, () -> OutboundProxy.parse(bad), bad);
        }
    }
}
