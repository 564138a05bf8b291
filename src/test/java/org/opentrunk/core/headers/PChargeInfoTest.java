package org.opentrunk.core.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** IC-CHARGE (RFC 8496). */
@Tag("IC-CHARGE")
class PChargeInfoTest {

    static final String DOMAIN = "trunk.example.net";

    @Test
    void billingNumberIsNormalisedAndNpiNoaDropped() {
        RewrittenHeader out = PChargeInfo.rewrite(List.of("<sip:12065550100@10.1.1.1;user=phone>;npi=ISDN;noa=3"),
                DOMAIN);
        assertEquals(List.of("<sip:+12065550100@trunk.example.net;user=phone>"), out.values());
        assertEquals("P-Charge-Info", out.name());
    }

    @Test
    void telnyxStyleAndTelUri() {
        assertEquals(List.of("<sip:+12065550100@trunk.example.net;user=phone>"),
                PChargeInfo.rewrite(List.of("<sip:+12065550100@sip.telnyx.com>"), DOMAIN).values());
        assertEquals(List.of("<sip:+12065550100@trunk.example.net;user=phone>"),
                PChargeInfo.rewrite(List.of("tel:+12065550100"), DOMAIN).values());
    }

    @Test
    void firstValidNumberWinsOthersAreNoted() {
        RewrittenHeader out = PChargeInfo.rewrite(List.of("<sip:201@pbx>, <sip:+12065550100@pbx>", "<sip:+12065550111@pbx>"), DOMAIN);
        assertEquals(List.of("<sip:+12065550100@trunk.example.net;user=phone>"), out.values());
        assertEquals(2, out.notes().size(), out.notes()::toString);
    }

    @Test
    @Tag("IC-E164")
    void aNationalNumberWithoutCountryCodeIsNotE164() {
        // IC-E164: every number is E.164, domestic ones included; 2065550100 reads as +20 65550100
        RewrittenHeader out = PChargeInfo.rewrite(List.of("<sip:2065550100@10.1.1.1>"), DOMAIN);
        assertTrue(out.values().isEmpty());
        assertEquals(1, out.notes().size());
    }

    @Test
    void invalidIsNeverForwarded() {
        RewrittenHeader out = PChargeInfo.rewrite(List.of("<sip:+999123@pbx>", "garbage"), DOMAIN);
        assertTrue(out.values().isEmpty());
        assertEquals(2, out.notes().size());
    }
}
