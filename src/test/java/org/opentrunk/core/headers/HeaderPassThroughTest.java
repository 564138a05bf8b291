package org.opentrunk.core.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** IC-CHARGE, IC-DIVERSION: what crosses the B2BUA. */
class HeaderPassThroughTest {

    static final String DOMAIN = "trunk.example.net";

    @Test
    @Tag("IC-CHARGE") @Tag("IC-DIVERSION")
    void diversionCrossesBothWaysChargeInfoOnlyOutbound() {
        assertTrue(HeaderPassThrough.passes("Diversion", PassDirection.CUSTOMER_TO_CARRIER));
        assertTrue(HeaderPassThrough.passes("diversion", PassDirection.CARRIER_TO_CUSTOMER));
        assertTrue(HeaderPassThrough.passes("P-Charge-Info", PassDirection.CUSTOMER_TO_CARRIER));
        assertFalse(HeaderPassThrough.passes("P-Charge-Info", PassDirection.CARRIER_TO_CUSTOMER));
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Custom", "History-Info", "Reason", "P-Preferred-Identity", "Subject", "s", ""})
    void unknownAndUnlistedHeadersDoNotCross(String name) {
        for (PassDirection direction : PassDirection.values()) {
            assertFalse(HeaderPassThrough.passes(name, direction), name);
        }
    }

    @ParameterizedTest
    @EnumSource(LegSpecificHeader.class)
    void noLegSpecificHeaderCrossesInAnyCaseOrForm(LegSpecificHeader header) {
        for (PassDirection direction : PassDirection.values()) {
            assertFalse(HeaderPassThrough.passes(header.headerName(), direction));
            assertFalse(HeaderPassThrough.passes(header.headerName().toUpperCase(), direction));
        }
        assertFalse(header.reason().isBlank());
    }

    @Test
    void compactFormsNameTheSameHeader() {
        assertEquals(LegSpecificHeader.VIA, LegSpecificHeader.of("v").orElseThrow());
        assertEquals(LegSpecificHeader.CONTACT, LegSpecificHeader.of(" M ").orElseThrow());
        assertEquals(LegSpecificHeader.SESSION_EXPIRES, LegSpecificHeader.of("x").orElseThrow());
        assertEquals(LegSpecificHeader.PROXY_AUTHORIZATION, LegSpecificHeader.of("proxy-authorization").orElseThrow());
        assertTrue(HeaderNames.same("f", "FROM"));
        assertTrue(LegSpecificHeader.of("Diversion").isEmpty());
    }

    @Test
    void theSecurityCriticalOnesAreListed() {
        for (String name : List.of("Authorization", "Proxy-Authorization", "Via", "Route", "Record-Route", "Contact",
                "Call-ID", "CSeq", "Max-Forwards", "Session-Expires", "Min-SE", "Supported", "Require",
                "Content-Length", "P-Asserted-Identity", "Remote-Party-ID", "Privacy", "X-Tag")) {
            assertTrue(LegSpecificHeader.of(name).isPresent(), name);
        }
    }

    @Test
    @Tag("IC-CHARGE") @Tag("IC-DIVERSION")
    void rewriteDispatchesAndRefusesWhatDoesNotCross() {
        RewrittenHeader diversion = HeaderPassThrough.rewrite("Diversion",
                List.of("<sip:12065550111@pbx>;reason=no-answer"), PassDirection.CARRIER_TO_CUSTOMER, DOMAIN);
        assertEquals(List.of("<sip:+12065550111@trunk.example.net;user=phone>;reason=no-answer"), diversion.values());
        RewrittenHeader charge = HeaderPassThrough.rewrite("p-charge-info",
                List.of("<sip:18005550199@pbx>"), PassDirection.CUSTOMER_TO_CARRIER, DOMAIN);
        assertEquals(List.of("<sip:+18005550199@trunk.example.net;user=phone>"), charge.values());
        assertTrue(HeaderPassThrough.rewrite("P-Charge-Info", List.of("<sip:+18005550199@gw>"),
                PassDirection.CARRIER_TO_CUSTOMER, DOMAIN).values().isEmpty());
        assertTrue(HeaderPassThrough.rewrite("Proxy-Authorization", List.of("Digest username=\"a\""),
                PassDirection.CUSTOMER_TO_CARRIER, DOMAIN).values().isEmpty());
        assertTrue(HeaderPassThrough.rewrite(null, null, PassDirection.CUSTOMER_TO_CARRIER, DOMAIN).values().isEmpty());
    }
}
