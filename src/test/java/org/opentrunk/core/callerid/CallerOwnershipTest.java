package org.opentrunk.core.callerid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.config.CallerIdPolicy;
import org.opentrunk.core.config.ConfigSnapshot;
import org.opentrunk.core.config.Customer;
import org.opentrunk.core.config.ProvisioningDefaults;
import org.opentrunk.core.config.DidNumber;
import org.opentrunk.core.numbering.E164Number;
import org.opentrunk.core.numbering.NumberParser;

/** IC-CALLER-OWNER, IC-CNAM-OUT: whose number it is decides the name and, under "own", the call. */
class CallerOwnershipTest {

    static final Customer A = Customer.byIp(1, "A", "11111111", Set.of("192.0.2.1"));
    static final Customer B = Customer.byIp(2, "B", "22222222", Set.of("192.0.2.2"));
    static final Customer A_OWN = new Customer(1, "A", Set.of("192.0.2.1"), "11111111", Optional.empty(), 10, 10, false,
            List.of(), Optional.empty(), CallerIdPolicy.OWN, Set.of("+12065550177"),
            ProvisioningDefaults.MAX_CALL_SECONDS);
    static final ConfigSnapshot CONFIG = new ConfigSnapshot(List.of(A, B), List.of(), List.of(
            new DidNumber("+12066418001", 1, false, Optional.of("ACME SALES"), List.of()),
            new DidNumber("+12066418002", 2, false, Optional.of("GLOBEX"), List.of())));

    private static Optional<E164Number> number(String e164) {
        return NumberParser.parse(e164).number();
    }

    @Test
    @Tag("IC-CALLER-OWNER") @Tag("IC-CNAM-OUT")
    void aStoredNameGoesOnlyWithTheCallersOwnNumber() {
        assertEquals(Optional.of("ACME SALES"), CallerOwnership.storedName(A, number("+12066418001"), CONFIG));
        assertEquals(Optional.empty(), CallerOwnership.storedName(A, number("+12066418002"), CONFIG), "B's name, A's call");
        assertEquals(Optional.of("GLOBEX"), CallerOwnership.storedName(B, number("+12066418002"), CONFIG));
        assertEquals(Optional.empty(), CallerOwnership.storedName(A, Optional.empty(), CONFIG));
    }

    @Test
    @Tag("IC-CALLER-OWNER")
    void policyAnyPresentsAnythingPolicyOwnOnlyOwnAndVerifiedNumbers() {
        assertTrue(CallerOwnership.mayPresent(A, number("+12066418002"), CONFIG));
        assertTrue(CallerOwnership.mayPresent(A, Optional.empty(), CONFIG));
        assertTrue(CallerOwnership.mayPresent(A_OWN, number("+12066418001"), CONFIG), "own number");
        assertTrue(CallerOwnership.mayPresent(A_OWN, number("+12065550177"), CONFIG), "verified number");
        assertFalse(CallerOwnership.mayPresent(A_OWN, number("+12066418002"), CONFIG), "B's number");
        assertFalse(CallerOwnership.mayPresent(A_OWN, number("+12065550100"), CONFIG), "nobody's number");
        assertFalse(CallerOwnership.mayPresent(A_OWN, Optional.empty(), CONFIG), "no number at all");
    }

    @Test
    @Tag("IC-CALLER-OWNER") @Tag("IC-EMERGENCY")
    void theCallbackNumberIsAnOwnNumberElseAVerifiedOne() {
        assertEquals(number("+12066418001"), CallerOwnership.callbackNumber(A_OWN, CONFIG));
        Customer onlyVerified = new Customer(3, "C", Set.of(), "33333333", Optional.empty(), 10, 10, false, List.of(),
                Optional.empty(), CallerIdPolicy.OWN, Set.of("+12065550199", "+12065550188"), 0);
        assertEquals(number("+12065550188"), CallerOwnership.callbackNumber(onlyVerified, CONFIG));
        Customer nothing = Customer.byIp(4, "D", "44444444", Set.of());
        assertEquals(Optional.empty(), CallerOwnership.callbackNumber(nothing, CONFIG));
    }
}
