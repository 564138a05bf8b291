package org.opentrunk.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The call's states and the moves between them; the timers' names. */
class CallStateTest {

    @Test
    void setUpEndsAnsweredOrAbandonedAndNothingComesBackFromTheEnd() {
        assertTrue(CallState.ROUTING.canMoveTo(CallState.EARLY));
        assertTrue(CallState.EARLY.canMoveTo(CallState.ROUTING), "the next target");
        assertTrue(CallState.EARLY.canMoveTo(CallState.ANSWERED));
        assertTrue(CallState.ROUTING.canMoveTo(CallState.CANCELLING));
        assertFalse(CallState.ANSWERED.canMoveTo(CallState.CANCELLING), "an answered call is hung up, not cancelled");
        assertFalse(CallState.CANCELLING.canMoveTo(CallState.ANSWERED));
        for (CallState any : CallState.values()) {
            assertFalse(CallState.ENDED.canMoveTo(any));
            assertTrue(any == CallState.ENDED || any.canMoveTo(CallState.ENDED), any + " can end");
        }
        assertTrue(CallState.ROUTING.canMoveTo(CallState.TRYING));
        assertTrue(CallState.TRYING.canMoveTo(CallState.EARLY));
        assertTrue(CallState.TRYING.targetAnswered() && CallState.EARLY.targetAnswered());
        assertFalse(CallState.ROUTING.targetAnswered(), "no CANCEL before any provisional (RFC 3261 9.1)");
        assertEquals(EnumSet.of(CallState.ROUTING, CallState.TRYING, CallState.EARLY),
                EnumSet.copyOf(EnumSet.allOf(CallState.class).stream().filter(CallState::inSetup).toList()));
    }

    @Test
    void eachLegHasItsRefreshAndExpiryTimer() {
        for (Leg leg : Leg.values()) {
            assertEquals(leg, CallTimer.refresh(leg).leg());
            assertEquals(leg, CallTimer.expiry(leg).leg());
            assertTrue(CallTimer.refresh(leg).isRefresh());
            assertTrue(CallTimer.expiry(leg).isExpiry());
            assertEquals(leg, leg.other().other());
        }
        assertEquals(null, CallTimer.NO_ANSWER.leg());
    }
}
