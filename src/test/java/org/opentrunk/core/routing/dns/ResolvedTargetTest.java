package org.opentrunk.core.routing.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opentrunk.core.config.Transport;

class ResolvedTargetTest {

    @Test
    void originIsCutToTheCdrColumn() {
        ResolvedTarget target = new ResolvedTarget("127.0.0.1", 5060, Transport.UDP, "x".repeat(600));
        assertEquals(ResolvedTarget.MAX_ORIGIN_LENGTH, target.origin().length());
    }

    @Test
    void portMustBeAPort() {
        assertThrows(IllegalArgumentException.class, () -> new ResolvedTarget("127.0.0.1", 0, Transport.UDP, "a"));
        assertThrows(IllegalArgumentException.class, () -> new ResolvedTarget("127.0.0.1", 65536, Transport.UDP, "a"));
    }
}
