package org.opentrunk.core.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("IC-METHODS")
class MethodPolicyTest {

    @Test
    void theSixMethodsOfIcMethodsAreSupported() {
        for (String m : new String[] {"INVITE", "ACK", "CANCEL", "BYE", "REGISTER", "OPTIONS"}) {
            assertTrue(MethodPolicy.isSupported(m), m);
        }
        assertEquals("INVITE, ACK, CANCEL, BYE, REGISTER, OPTIONS", MethodPolicy.ALLOW);
    }

    @Test
    void everythingElseIsRefused() {
        for (String m : new String[] {"PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE",
                "UPDATE", "FOOBAR", "invite", "", null}) {
            assertFalse(MethodPolicy.isSupported(m), String.valueOf(m));
        }
    }
}
