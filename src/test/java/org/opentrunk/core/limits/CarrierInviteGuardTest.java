package org.opentrunk.core.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.config.CarrierInboundPolicy;
import org.opentrunk.core.config.CarrierInboundPolicy.InboundTransports;

class CarrierInviteGuardTest {

    private static final long SECOND = 1_000_000_000L;
    private final CarrierInviteGuard guard = new CarrierInviteGuard();

    @Test
    void anOpenCarrierIsTakenOverAnyTransportAtAnyRate() {
        for (int i = 0; i < 10_000; i++) {
            assertEquals(CarrierInviteGuard.Decision.ACCEPTED, guard.admit(1, CarrierInboundPolicy.OPEN, i % 2 == 0 ? "UDP" : "TCP", 0));
        }
        assertEquals(new CarrierInviteGuard.Counts(0, 0, 0), guard.counts(1));
    }

    @Test
    void aTcpOnlyCarrierIsRefusedOverUdpAndTakenOverTcpAndTls() {
        CarrierInboundPolicy tcpOnly = new CarrierInboundPolicy(InboundTransports.TCP_TLS, 0, false);
        assertEquals(CarrierInviteGuard.Decision.WRONG_TRANSPORT, guard.admit(7, tcpOnly, "UDP", 0));
        assertEquals(CarrierInviteGuard.Decision.WRONG_TRANSPORT, guard.admit(7, tcpOnly, "udp", 0));
        assertEquals(CarrierInviteGuard.Decision.ACCEPTED, guard.admit(7, tcpOnly, "TCP", 0));
        assertEquals(CarrierInviteGuard.Decision.ACCEPTED, guard.admit(7, tcpOnly, "TLS", 0));
        assertEquals(2, guard.counts(7).wrongTransport());
        assertEquals(0, guard.counts(8).wrongTransport(), "counted per carrier");
    }

    @Test
    void theRateAllowsItsBurstThenRefusesUntilItRefills() {
        CarrierInboundPolicy five = new CarrierInboundPolicy(InboundTransports.ANY, 5, false);
        for (int i = 0; i < 5; i++) {
            assertEquals(CarrierInviteGuard.Decision.ACCEPTED, guard.admit(3, five, "UDP", 0));
        }
        assertEquals(CarrierInviteGuard.Decision.OVER_RATE, guard.admit(3, five, "UDP", 0));
        assertEquals(CarrierInviteGuard.Decision.ACCEPTED, guard.admit(4, five, "UDP", 0), "another carrier has its own bucket");
        assertEquals(CarrierInviteGuard.Decision.ACCEPTED, guard.admit(3, five, "UDP", SECOND), "refilled after a second");
        assertEquals(1, guard.counts(3).overRate());
        assertEquals(1, guard.total().overRate());
    }

    @Test
    void unknownNumbersGetOneSummaryLineAMinuteWithTheCountSinceTheLastOne() {
        assertEquals(Optional.of(1L), guard.unknownNumberSummarised(2, 0), "the first one is logged at once");
        for (int i = 0; i < 999; i++) {
            assertEquals(Optional.empty(), guard.unknownNumberSummarised(2, 30 * SECOND));
        }
        assertEquals(Optional.of(1_000L), guard.unknownNumberSummarised(2, 61 * SECOND), "999 + this one");
        assertEquals(1_001, guard.counts(2).unknownNumbersSummarised());
    }

    @Test
    void thePolicyRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new CarrierInboundPolicy(InboundTransports.ANY, -1, false));
        assertThrows(IllegalArgumentException.class,
                () -> new CarrierInboundPolicy(InboundTransports.ANY, CarrierInboundPolicy.MAX_INVITES_PER_SECOND + 1, false));
        assertThrows(IllegalArgumentException.class, () -> InboundTransports.parse("udp"));
        assertEquals(InboundTransports.TCP_TLS, InboundTransports.parse(" TCP-TLS "));
        assertTrue(CarrierInboundPolicy.OPEN.accepts("UDP"));
        assertFalse(new CarrierInboundPolicy(InboundTransports.TCP_TLS, 0, false).accepts("UDP"));
    }
}
