package org.opentrunk.core.callerid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CallerIdentityTest {

    static final String DOMAIN = "trunk.example.net";
    static final String ALICE = "+12065550100";
    static final String ALICE_URI = "<sip:+12065550100@trunk.example.net;user=phone>";

    static IdentifiedCaller identify(IdentityHeaders headers) {
        return CallerIdentity.identify(headers);
    }

    /** IC-CLI-OUT: which header the number comes from. */
    @Nested
    class OutboundNumber {

        @Test
        @Tag("IC-CLI-OUT") @Tag("IC-CNAM-OUT")
        void asteriskPaiWinsAndTheCustomersDisplayNameIsDropped() {
            IdentifiedCaller caller = identify(IdentityHeaders
                    .from("\"Alice\" <sip:+12065550100@203.0.113.5>;tag=as6f8e2b1c")
                    .withPAssertedIdentity("\"Alice\" <sip:+12065550100@203.0.113.5>"));
            assertEquals(IdentitySource.P_ASSERTED_IDENTITY, caller.source());
            assertEquals(ALICE, caller.number().orElseThrow().value());
            assertEquals(Presentation.ALLOWED, caller.presentation());
            OutgoingIdentity out = caller.toCarrier(DOMAIN, Optional.of("ACME CORP"));
            assertEquals("\"ACME CORP\" " + ALICE_URI, out.from(), "IC-CNAM-OUT: stored name, not 'Alice'");
            assertEquals(Optional.of("\"ACME CORP\" " + ALICE_URI), out.pAssertedIdentity());
            assertEquals(Optional.empty(), out.privacy());
        }

        @Test
        @Tag("IC-CLI-OUT") @Tag("IC-CNAM-OUT")
        void withoutAStoredNameThereIsNoDisplayName() {
            OutgoingIdentity out = identify(IdentityHeaders.from("\"Alice\" <sip:+12065550100@pbx>;tag=1"))
                    .toCarrier(DOMAIN, Optional.empty());
            assertEquals(ALICE_URI, out.from());
        }

        @Test
        @Tag("IC-CLI-OUT")
        void precedenceIsPaiThenRpiThenFrom() {
            IdentityHeaders all = IdentityHeaders.from("<sip:+12065550133@pbx>;tag=1")
                    .withRemotePartyId("<sip:+12065550122@pbx>;party=calling")
                    .withPAssertedIdentity("<sip:+12065550111@pbx>");
            assertEquals("+12065550111", identify(all).number().orElseThrow().value());
            IdentifiedCaller noPai = identify(all.withPAssertedIdentity());
            assertEquals("+12065550122", noPai.number().orElseThrow().value());
            assertEquals(IdentitySource.REMOTE_PARTY_ID, noPai.source());
            IdentifiedCaller fromOnly = identify(all.withPAssertedIdentity().withRemotePartyId());
            assertEquals("+12065550133", fromOnly.number().orElseThrow().value());
            assertEquals(IdentitySource.FROM, fromOnly.source());
        }

        @Test
        @Tag("IC-CLI-OUT")
        void anExtensionInPaiFallsThroughToFromWithANote() {
            // FreePBX with "Send Connected Line" and no outbound CID on the extension
            IdentifiedCaller caller = identify(IdentityHeaders
                    .from("\"Reception\" <sip:+12065550100@pbx.local>;tag=8f2e")
                    .withPAssertedIdentity("\"Reception\" <sip:201@pbx.local>"));
            assertEquals(IdentitySource.FROM, caller.source());
            assertEquals(ALICE, caller.number().orElseThrow().value());
            assertTrue(caller.notes().stream().anyMatch(n -> n.startsWith("P-Asserted-Identity") && n.contains("201")),
                    caller.notes()::toString);
        }

        @Test
        @Tag("IC-CLI-OUT")
        void aMalformedPaiFallsThrough() {
            IdentifiedCaller caller = identify(IdentityHeaders.from("<sip:+12065550100@pbx>;tag=1")
                    .withPAssertedIdentity("<sip:+12065550111@pbx"));
            assertEquals(IdentitySource.FROM, caller.source());
            assertTrue(caller.notes().get(0).contains("UNTERMINATED") || caller.notes().get(0).contains("'<'"),
                    caller.notes()::toString);
        }

        @Test
        @Tag("IC-CLI-OUT")
        void calledPartyRpiIsIgnored() {
            IdentifiedCaller caller = identify(IdentityHeaders.from("<sip:+12065550100@pbx>;tag=1")
                    .withRemotePartyId("<sip:+12065550199@pbx>;party=called;privacy=full"));
            assertEquals(IdentitySource.FROM, caller.source());
            assertEquals(Presentation.ALLOWED, caller.presentation());
        }

        @Test
        @Tag("IC-CLI-OUT")
        void paiWithExtensionAndTelUriUsesTheTelUri() {
            IdentifiedCaller caller = identify(IdentityHeaders.from("<sip:201@pbx>;tag=1")
                    .withPAssertedIdentity("<sip:201@pbx>, <tel:+12065550100>"));
            assertEquals(IdentitySource.P_ASSERTED_IDENTITY, caller.source());
            assertEquals(ALICE, caller.number().orElseThrow().value());
        }

        @Test
        @Tag("IC-CLI-OUT")
        void numbersWithoutPlusAndWithUserParametersAreNormalised() {
            // 3CX and Cisco CUBE send the digits without '+'
            assertEquals(ALICE, identify(IdentityHeaders.from("\"Office\" <sip:12065550100@sip.example.net:5060>;tag=f1"))
                    .number().orElseThrow().value());
            assertEquals(ALICE, identify(IdentityHeaders.from("<sip:+1-206-555-0100;npdi@pbx;user=phone>;tag=1"))
                    .number().orElseThrow().value());
            assertEquals(ALICE, identify(IdentityHeaders.from("<sip:%2B12065550100@pbx>;tag=1"))
                    .number().orElseThrow().value());
        }

        @Test
        @Tag("IC-CLI-OUT")
        void noValidNumberAnywhereIsUnavailable() {
            IdentifiedCaller caller = identify(IdentityHeaders.from("\"Yealink T46\" <sip:201@192.168.1.20>;tag=1"));
            assertEquals(Presentation.UNAVAILABLE, caller.presentation());
            assertEquals(IdentitySource.NONE, caller.source());
            OutgoingIdentity out = caller.toCarrier(DOMAIN, Optional.of("ACME"));
            assertEquals("\"Unavailable\" <sip:unavailable@unknown.invalid>", out.from());
            assertEquals(Optional.empty(), out.pAssertedIdentity());
            assertEquals(Optional.empty(), out.privacy());
        }

        @Test
        @Tag("IC-CLI-OUT")
        void missingHeadersAreUnavailable() {
            assertEquals(Presentation.UNAVAILABLE, identify(IdentityHeaders.NONE).presentation());
            assertEquals(Presentation.UNAVAILABLE,
                    identify(new IdentityHeaders(null, null, Optional.empty(), null)).presentation());
        }

        @Test
        void aBadTrunkDomainIsAProgrammingError() {
            IdentifiedCaller caller = identify(IdentityHeaders.from("<sip:+12065550100@pbx>;tag=1"));
            assertThrows(IllegalArgumentException.class, () -> caller.toCarrier("bad domain\r\nVia: x", Optional.empty()));
        }
    }

    /** RFC 3323 / RFC 3325 privacy on outbound calls. */
    @Nested
    class OutboundPrivacy {

        @Test
        void privacyIdKeepsTheNumberInPaiForTheCarrier() {
            // Asterisk PJSIP with callerpres prohib
            IdentifiedCaller caller = identify(IdentityHeaders
                    .from("\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=as1")
                    .withPAssertedIdentity("\"Alice\" <sip:+12065550100@203.0.113.5>")
                    .withPrivacy("id"));
            assertEquals(Presentation.RESTRICTED, caller.presentation());
            OutgoingIdentity out = caller.toCarrier(DOMAIN, Optional.of("ACME CORP"));
            assertEquals("\"Anonymous\" <sip:anonymous@anonymous.invalid>", out.from());
            assertEquals(Optional.of(ALICE_URI), out.pAssertedIdentity(), "no name for a withheld caller");
            assertEquals(Optional.of("id"), out.privacy());
        }

        @Test
        void yealinkAnonymousFromWithoutPrivacyHeaderIsRestricted() {
            IdentifiedCaller caller = identify(IdentityHeaders
                    .from("\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=1875203977")
                    .withPAssertedIdentity("<sip:+12065550100@pbx.example.com>"));
            assertEquals(Presentation.RESTRICTED, caller.presentation());
            assertEquals(ALICE, caller.number().orElseThrow().value());
            assertTrue(caller.notes().isEmpty(), "the anonymous From is not worth a note: " + caller.notes());
        }

        @Test
        void anonymousUserOnThePbxHostIsRestricted() {
            assertEquals(Presentation.RESTRICTED,
                    identify(IdentityHeaders.from("<sip:Anonymous@pbx.example.com>;tag=1")).presentation());
        }

        @Test
        void rpiPrivacyFullIsRestricted() {
            // Cisco CUBE / Asterisk send_rpid
            IdentifiedCaller caller = identify(IdentityHeaders.from("<sip:2065550100@10.1.1.1>;tag=1")
                    .withRemotePartyId("\"Alice\" <sip:+12065550100@10.1.1.1>;party=calling;screen=yes;privacy=full"));
            assertEquals(Presentation.RESTRICTED, caller.presentation());
            assertEquals(IdentitySource.REMOTE_PARTY_ID, caller.source());
        }

        @Test
        void rpiPrivacyNameWithholdsOnlyTheName() {
            IdentifiedCaller caller = identify(IdentityHeaders.from("<sip:+12065550100@pbx>;tag=1")
                    .withRemotePartyId("<sip:+12065550100@pbx>;party=calling;privacy=name"));
            assertEquals(Presentation.ALLOWED, caller.presentation());
            assertEquals(ALICE_URI, caller.toCarrier(DOMAIN, Optional.of("ACME")).from());
        }

        @ParameterizedTest
        @ValueSource(strings = {"id", "ID", "header", "user", "header;user", "id;critical", "none, id", " user ; session "})
        void privacyValuesThatHideTheCaller(String privacy) {
            assertEquals(Presentation.RESTRICTED, identify(IdentityHeaders.from("<sip:+12065550100@pbx>;tag=1")
                    .withPrivacy(privacy)).presentation());
        }

        @ParameterizedTest
        @ValueSource(strings = {"none", "session", "critical", "history", "bogus", ""})
        void privacyValuesThatDoNot(String privacy) {
            assertEquals(Presentation.ALLOWED, identify(IdentityHeaders.from("<sip:+12065550100@pbx>;tag=1")
                    .withPrivacy(privacy)).presentation());
        }

        @Test
        void withheldWithoutAnyNumberSendsNoPai() {
            OutgoingIdentity out = identify(IdentityHeaders.from("<sip:anonymous@anonymous.invalid>;tag=1"))
                    .toCarrier(DOMAIN, Optional.empty());
            assertEquals(Optional.empty(), out.pAssertedIdentity());
            assertEquals(Optional.of("id"), out.privacy());
        }
    }

    /** IC-CLI-IN and IC-CNAM-IN: carrier to customer. */
    @Nested
    class Inbound {

        @Test
        @Tag("IC-CLI-IN") @Tag("IC-CNAM-IN")
        void cnamNameWhenLookupIsOnElseNoName() {
            IdentifiedCaller caller = identify(IdentityHeaders
                    .from("\"WIRELESS CALLER\" <sip:+12065550100@198.51.100.1;user=phone>;tag=gK0a1b2c")
                    .withPAssertedIdentity("<sip:+12065550100@198.51.100.1;user=phone>"));
            OutgoingIdentity looked = caller.toCustomer(DOMAIN, Optional.of("SMITH JOHN"));
            assertEquals("\"SMITH JOHN\" " + ALICE_URI, looked.from());
            assertEquals(Optional.of("\"SMITH JOHN\" " + ALICE_URI), looked.pAssertedIdentity());
            OutgoingIdentity plain = caller.toCustomer(DOMAIN, Optional.empty());
            assertEquals(ALICE_URI, plain.from(), "the carrier's display name is removed");
            assertEquals(Optional.of(ALICE_URI), plain.pAssertedIdentity());
        }

        @Test
        @Tag("IC-CLI-IN")
        void numbersWithoutPlusGetOne() {
            OutgoingIdentity out = identify(IdentityHeaders.from("<sip:12065550100@198.51.100.1>;tag=1"))
                    .toCustomer(DOMAIN, Optional.empty());
            assertEquals(ALICE_URI, out.from());
        }

        @Test
        void anonymousCallsStayAnonymousAndThePaiStaysWithUs() {
            IdentifiedCaller caller = identify(IdentityHeaders
                    .from("\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=1")
                    .withPAssertedIdentity("<sip:+12065550100@198.51.100.1;user=phone>")
                    .withPrivacy("id;critical"));
            assertEquals(ALICE, caller.number().orElseThrow().value(), "known, for the CDR");
            OutgoingIdentity out = caller.toCustomer(DOMAIN, Optional.of("SMITH JOHN"));
            assertEquals("\"Anonymous\" <sip:anonymous@anonymous.invalid>", out.from());
            assertEquals(Optional.empty(), out.pAssertedIdentity(), "RFC 3325: not to an untrusted PBX");
            assertEquals(Optional.of("id;critical"), out.privacy());
        }

        @Test
        void restrictedByRpiOnlySendsPrivacyId() {
            OutgoingIdentity out = identify(IdentityHeaders.from("<sip:+12065550100@198.51.100.1>;tag=1")
                    .withRemotePartyId("<sip:+12065550100@198.51.100.1>;privacy=full"))
                    .toCustomer(DOMAIN, Optional.empty());
            assertEquals(Optional.of("id"), out.privacy());
        }
    }

    /** IC-OLI: originating line and jurisdiction information ride on the identity headers. */
    @Nested
    @Tag("IC-OLI")
    class LineInformation {

        @Test
        void asteriskStyleHeaderParameterOnFrom() {
            IdentifiedCaller caller = identify(IdentityHeaders
                    .from("\"Alice\" <sip:+12065550100@203.0.113.5>;tag=1;isup-oli=00"));
            OutgoingIdentity out = caller.toCarrier(DOMAIN, Optional.empty());
            assertEquals(ALICE_URI + ";isup-oli=00", out.from());
            assertEquals(Optional.of(ALICE_URI + ";isup-oli=00"), out.pAssertedIdentity());
        }

        @Test
        void uriParameterStaysAUriParameter() {
            OutgoingIdentity out = identify(IdentityHeaders.from("<sip:+12065550100@gw>;tag=1")
                    .withPAssertedIdentity("<sip:+12065550100@gw;oli=27>"))
                    .toCarrier(DOMAIN, Optional.empty());
            assertEquals("<sip:+12065550100@trunk.example.net;user=phone;oli=27>", out.from());
        }

        @Test
        void telUriAndUserPartParametersGoIntoTheUserPart() {
            OutgoingIdentity out = identify(IdentityHeaders.from("<sip:+12065550100@gw>;tag=1")
                    .withPAssertedIdentity("<tel:+12065550100;oli=70>", "<sip:+12065550100;jip=206555@gw;user=phone>"))
                    .toCustomer(DOMAIN, Optional.empty());
            assertEquals("<sip:+12065550100;oli=70;jip=206555@trunk.example.net;user=phone>", out.from());
        }

        @Test
        void paiWinsOverFromAndBadValuesAreDropped() {
            IdentifiedCaller caller = identify(IdentityHeaders.from("<sip:+12065550100@gw;isup-oli=62>;tag=1;jip=12345")
                    .withPAssertedIdentity("<sip:+12065550100@gw>;oli=abc;isup-oli=27"));
            assertEquals("isup-oli", caller.lineInfo().oli().orElseThrow().name());
            assertEquals("27", caller.lineInfo().oli().orElseThrow().value());
            assertTrue(caller.lineInfo().jip().isEmpty());
            assertTrue(caller.notes().stream().anyMatch(n -> n.contains("oli=abc")), caller.notes()::toString);
            assertTrue(caller.notes().stream().anyMatch(n -> n.contains("jip=12345")), caller.notes()::toString);
        }

        @Test
        void onTheAnonymousFromAUserPartParameterBecomesAUriParameter() {
            OutgoingIdentity out = identify(IdentityHeaders.from("<sip:anonymous@anonymous.invalid>;tag=1")
                    .withPAssertedIdentity("<tel:+12065550100;isup-oli=00>")
                    .withPrivacy("id"))
                    .toCarrier(DOMAIN, Optional.empty());
            assertEquals("\"Anonymous\" <sip:anonymous@anonymous.invalid;isup-oli=00>", out.from());
            assertEquals(Optional.of("<sip:+12065550100;isup-oli=00@trunk.example.net;user=phone>"), out.pAssertedIdentity());
        }

        @Test
        void otherParametersAreNotPassed() {
            OutgoingIdentity out = identify(IdentityHeaders.from("<sip:+12065550100;cpc=payphone;rn=+12065550000@gw;x=1>;tag=1;y=2"))
                    .toCarrier(DOMAIN, Optional.empty());
            assertEquals(ALICE_URI, out.from());
        }
    }

    @Test
    void displayNamesAreCleaned() {
        assertEquals(Optional.of("O\"Brien Co"), IdentifiedCaller.cleanDisplayName(Optional.of(" O\"Brien\r\n\tCo\u0000 ")));
        assertEquals(Optional.empty(), IdentifiedCaller.cleanDisplayName(Optional.of(" \u0007 ")));
        assertEquals(IdentifiedCaller.MAX_DISPLAY_NAME_LENGTH,
                IdentifiedCaller.cleanDisplayName(Optional.of("x".repeat(500))).orElseThrow().length());
        OutgoingIdentity out = identify(IdentityHeaders.from("<sip:+12065550100@pbx>;tag=1"))
                .toCustomer(DOMAIN, Optional.of("O\"Brien\r\nVia: evil"));
        assertEquals("\"O\\\"Brien Via: evil\" " + ALICE_URI, out.from());
        assertFalse(out.from().contains("\n"));
    }
}
