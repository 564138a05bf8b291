package org.opentrunk.core.stir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.config.CallerIdPolicy;
import org.opentrunk.core.config.ConfigSnapshot;
import org.opentrunk.core.config.Customer;
import org.opentrunk.core.config.DidNumber;
import org.opentrunk.core.config.ProvisioningDefaults;
import org.opentrunk.core.numbering.E164Number;
import org.opentrunk.core.numbering.NumberParser;

/** IC-STIR: A for the customer's own and verified numbers, B for others, C for calls it passes on. */
@Tag("IC-STIR")
class AttestationRulesTest {

    static final Customer ACME = new Customer(1, "Acme", Set.of("192.0.2.1"), "11111111", Optional.empty(), 10, 10, false,
            List.of(), Optional.empty(), CallerIdPolicy.ANY, Set.of("+12065550177"), ProvisioningDefaults.MAX_CALL_SECONDS);
    static final Customer GLOBEX = Customer.byIp(2, "Globex", "22222222", Set.of("192.0.2.2"));
    static final ConfigSnapshot CONFIG = new ConfigSnapshot(List.of(ACME, GLOBEX), List.of(), List.of(
            new DidNumber("+12066418001", 1, false, Optional.empty(), List.of()),
            new DidNumber("+12066418002", 2, false, Optional.empty(), List.of())), List.of());

    static Optional<E164Number> number(String e164) {
        return NumberParser.parse(e164, Optional.empty()).number();
    }

    @Test
    void ownNumberIsA() {
        assertEquals(Optional.of(Attestation.A), AttestationRules.forOutbound(ACME, number("+12066418001"), false, CONFIG));
        assertEquals(Optional.of(Attestation.A), AttestationRules.forOutbound(ACME, number("+12066418001"), true, CONFIG),
                "a forwarded call with its own number is still its own call");
    }

    @Test
    void verifiedNumberIsA() {
        assertEquals(Optional.of(Attestation.A), AttestationRules.forOutbound(ACME, number("+12065550177"), false, CONFIG));
    }

    @Test
    void anotherCustomersOrAnUnknownNumberIsB() {
        assertEquals(Optional.of(Attestation.B), AttestationRules.forOutbound(ACME, number("+12066418002"), false, CONFIG));
        assertEquals(Optional.of(Attestation.B), AttestationRules.forOutbound(ACME, number("+442079460000"), false, CONFIG));
    }

    @Test
    void aDivertedCallWithSomeoneElsesNumberIsC() {
        assertEquals(Optional.of(Attestation.C), AttestationRules.forOutbound(ACME, number("+442079460000"), true, CONFIG));
    }

    @Test
    void noNumberNoAttestation() {
        assertEquals(Optional.empty(), AttestationRules.forOutbound(ACME, Optional.empty(), false, CONFIG));
    }
}
