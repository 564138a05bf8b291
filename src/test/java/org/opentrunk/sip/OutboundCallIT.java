package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrunk.testing.Dialog;
import org.opentrunk.testing.DigestClient;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.TestNet;
import org.opentrunk.testing.TestNetProvisioning;
import org.opentrunk.testing.TrunkUnderTest;

/**
 * Outbound calls, customer PBX -> OpenTrunk -> carrier, one test per rule of the call path: what
 * the carrier receives and what the customer receives. Raw peers on their own loopback addresses:
 * the IP-authenticated PBX on 127.0.0.2, a digest PBX on 127.0.0.4, carriers on 127.0.0.3 and .5.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OutboundCallIT {

    static final Duration WAIT = Duration.ofSeconds(5);
    static final String CALLED = "+12066418000";
    static final String OFFER = "v=0\r\no=pbx 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0 8 9 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:9 G722/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\n";
    static final String ANSWER = "v=0\r\no=carrier 7 7 IN IP4 127.0.0.3\r\ns=-\r\nc=IN IP4 127.0.0.3\r\nt=0 0\r\n"
            + "m=audio 50000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";

    private SipTestClient carrier;
    private SipTestClient secondCarrier;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    @BeforeEach
    void carriersListen() throws Exception {
        TestNetProvisioning.ensure();
        carrier = new SipTestClient(Transport.UDP, TestNet.CARRIER, TestNet.CARRIER_PORT,
                SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT));
        secondCarrier = new SipTestClient(Transport.UDP, TestNet.SECOND_CARRIER, TestNet.CARRIER_PORT,
                SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT));
    }

    @AfterEach
    void close() throws Exception {
        carrier.close();
        secondCarrier.close();
    }

    static SipTestClient pbx(Transport transport, String address) {
        return new SipTestClient(transport, address, SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT));
    }

    static String invite(SipTestClient pbx, String user, String headers, String sdp) {
        return pbx.newRequest("INVITE", "sip:" + user + "@" + TestNet.TRUNK_DOMAIN,
                (sdp.isEmpty() ? "" : "Content-Type: application/sdp\r\n") + headers, sdp);
    }

    static SipMessage parsed(String text) {
        return SipMessage.parse(text.getBytes(), text.length());
    }

    static SipMessage awaitInvite(SipTestClient carrier) throws Exception {
        return carrier.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
    }

    /** Answers at the carrier, ACKs at the PBX, hangs up from the PBX: a whole call. */
    static void answerAndHangUp(SipTestClient pbx, SipMessage sentInvite, SipTestClient carrier, SipMessage atCarrier,
                                String carrierExtraHeaders) throws Exception {
        carrier.send(atCarrier.response(200, "OK", "c9", "Contact: <sip:gw@" + carrier.localAddress() + ":15060>\r\n"
                + carrierExtraHeaders, ANSWER));
        SipMessage ok = pbx.await(m -> m.isResponse() && m.status() == 200 && "INVITE".equals(m.method()), WAIT);
        Dialog call = new Dialog(pbx, sentInvite, ok);
        pbx.send(call.ack());
        carrier.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);
        pbx.send(call.request("BYE", "", ""));
        SipMessage bye = carrier.await(m -> !m.isResponse() && "BYE".equals(m.method()), WAIT);
        carrier.send(bye.response(200, "OK", null, "", ""));
        pbx.await(m -> m.isResponse() && "BYE".equals(m.method()), WAIT);
    }

    static void assertNothingAt(SipTestClient carrier) throws Exception {
        Optional<SipMessage> leaked = carrier.receive(Duration.ofMillis(700));
        assertTrue(leaked.isEmpty(), () -> "nothing reaches the carrier: " + leaked);
    }

    // ---- IC-IPAUTH

    @Test
    @Tag("IC-IPAUTH") @Tag("IC-RURI") @Tag("IC-E164")
    void ipAuthWithStarPrefixReachesTheCarrierInE164() throws Exception {
        ipAuthCall(Transport.UDP, TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*" + CALLED);
    }

    @Test
    @Tag("IC-IPAUTH") @Tag("IC-RURI") @Tag("IC-E164")
    void ipAuthWithHashPrefixAndNationalDigitsOverTcp() throws Exception {
        ipAuthCall(Transport.TCP, TestNetProvisioning.CUSTOMER_TECH_PREFIX + "%23" + CALLED.substring(1));
    }

    private void ipAuthCall(Transport transport, String user) throws Exception {
        try (SipTestClient pbx = pbx(transport, TestNet.CUSTOMER_PBX)) {
            String text = invite(pbx, user, "", OFFER);
            pbx.send(text);
            SipMessage atCarrier = awaitInvite(carrier);
            assertEquals("sip:" + CALLED + "@" + TestNet.CARRIER + ":" + TestNet.CARRIER_PORT, atCarrier.requestUri(),
                    "IC-RURI/IC-E164: prefix stripped, + form");
            assertTrue(atCarrier.header("To").orElse("").contains(CALLED), atCarrier::toString);
            answerAndHangUp(pbx, parsed(text), carrier, atCarrier, "");
        }
    }

    @Test
    @Tag("IC-IPAUTH")
    void wrongPrefixFromACustomerAddressIsForbidden() throws Exception {
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.CUSTOMER_PBX)) {
            SipMessage answer = pbx.request(invite(pbx, "99999999*" + CALLED, "", OFFER), WAIT);
            assertEquals(403, answer.status(), answer::toString);
            SipMessage noPrefix = pbx.request(invite(pbx, CALLED, "", OFFER), WAIT);
            assertEquals(403, noPrefix.status(), () -> "no prefix at all: " + noPrefix);
        }
        assertNothingAt(carrier);
    }

    @Test
    @Tag("IC-IPAUTH")
    void rightPrefixFromAnUnknownAddressIsChallenged() throws Exception {
        try (SipTestClient stranger = pbx(Transport.UDP, TestNet.STRANGER)) {
            SipMessage answer = stranger.request(invite(stranger, TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*" + CALLED, "", OFFER), WAIT);
            assertEquals(407, answer.status(), answer::toString);
        }
        assertNothingAt(carrier);
    }

    // ---- IC-DIGEST

    @Test
    @Tag("IC-DIGEST")
    void digestSha256AndMd5BothWork() throws Exception {
        for (String algorithm : List.of("SHA-256", "MD5")) {
            try (SipTestClient pbx = pbx(Transport.UDP, TestNet.SECOND_PBX)) {
                String first = invite(pbx, CALLED, "", OFFER);
                SipMessage challenge = pbx.request(first, WAIT);
                assertEquals(407, challenge.status(), challenge::toString);
                List<String> offered = challenge.headers("Proxy-Authenticate");
                assertEquals(2, offered.size(), () -> "SHA-256 and MD5 challenges (the test server sets OT_DIGEST_ALGORITHMS=SHA-256,MD5): " + challenge);
                assertTrue(offered.get(0).contains("algorithm=SHA-256"), offered::toString);
                assertTrue(offered.get(1).contains("algorithm=MD5"), offered::toString);
                assertTrue(offered.get(0).contains("qop=\"auth\""), offered::toString);
                String chosen = offered.stream().filter(c -> c.contains("algorithm=" + algorithm)).findFirst().orElseThrow();
                String uri = "sip:" + CALLED + "@" + TestNet.TRUNK_DOMAIN;
                String authorized = invite(pbx, CALLED, "Proxy-Authorization: " + DigestClient.answer(chosen, "INVITE", uri,
                        TestNetProvisioning.DIGEST_USER, TestNetProvisioning.DIGEST_PASSWORD, 1) + "\r\n", OFFER);
                pbx.send(authorized);
                SipMessage atCarrier = awaitInvite(carrier);
                assertFalse(atCarrier.header("Proxy-Authorization").isPresent(), "credentials never reach a carrier");
                assertEquals("sip:" + CALLED + "@" + TestNet.CARRIER + ":" + TestNet.CARRIER_PORT, atCarrier.requestUri());
                answerAndHangUp(pbx, parsed(authorized), carrier, atCarrier, "");
            }
        }
    }

    @Test
    @Tag("IC-DIGEST")
    void wrongPasswordAndUnknownUserLookTheSame() throws Exception {
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.SECOND_PBX)) {
            String uri = "sip:" + CALLED + "@" + TestNet.TRUNK_DOMAIN;
            SipMessage challenge = pbx.request(invite(pbx, CALLED, "", OFFER), WAIT);
            String c = challenge.headers("Proxy-Authenticate").get(0);
            SipMessage wrongPassword = pbx.request(invite(pbx, CALLED, "Proxy-Authorization: "
                    + DigestClient.answer(c, "INVITE", uri, TestNetProvisioning.DIGEST_USER, "not-the-password", 1) + "\r\n", OFFER), WAIT);
            SipMessage unknownUser = pbx.request(invite(pbx, CALLED, "Proxy-Authorization: "
                    + DigestClient.answer(c, "INVITE", uri, "nobody-here", "whatever", 2) + "\r\n", OFFER), WAIT);
            assertEquals(403, wrongPassword.status(), wrongPassword::toString);
            assertEquals(wrongPassword.startLine(), unknownUser.startLine());
            SipMessage garbage = pbx.request(invite(pbx, CALLED, "Proxy-Authorization: Digest username=\"x\r\n", OFFER), WAIT);
            assertTrue(garbage.status() == 400 || garbage.status() == 403, garbage::toString);
        }
        assertNothingAt(carrier);
    }

    @Test
    @Tag("IC-DIGEST")
    void staleNonceIsRechallengedWithStaleTrue() throws Exception {
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.SECOND_PBX)) {
            String uri = "sip:" + CALLED + "@" + TestNet.TRUNK_DOMAIN;
            String c = pbx.request(invite(pbx, CALLED, "", OFFER), WAIT).headers("Proxy-Authenticate").get(0);
            Thread.sleep(4_000); // the test server's nonce lifetime is 3 s (OT_NONCE_LIFETIME)
            SipMessage stale = pbx.request(invite(pbx, CALLED, "Proxy-Authorization: " + DigestClient.answer(c, "INVITE", uri,
                    TestNetProvisioning.DIGEST_USER, TestNetProvisioning.DIGEST_PASSWORD, 1) + "\r\n", OFFER), WAIT);
            assertEquals(407, stale.status(), stale::toString);
            assertTrue(stale.headers("Proxy-Authenticate").get(0).contains("stale=true"), stale::toString);
        }
        assertNothingAt(carrier);
    }

    // ---- IC-E164, allowed prefixes

    @Test
    @Tag("IC-E164")
    void badNumbersAreRefusedWithTheRightStatus() throws Exception {
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.CUSTOMER_PBX)) {
            String p = TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*";
            assertEquals(484, pbx.request(invite(pbx, p + "+1206", "", OFFER), WAIT).status(), "too few digits");
            assertEquals(404, pbx.request(invite(pbx, p + "+999123456789", "", OFFER), WAIT).status(), "no such country");
            assertEquals(404, pbx.request(invite(pbx, p + "+12066418000123456", "", OFFER), WAIT).status(), "too long");
        }
        assertNothingAt(carrier);
    }

    @Test
    void destinationsOutsideTheAllowListAreForbidden() throws Exception {
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.SECOND_PBX)) {
            String uri = "sip:+33142685300@" + TestNet.TRUNK_DOMAIN; // the digest customer may call +1 and +44 only
            SipMessage challenge = pbx.request(pbx.newRequest("INVITE", uri, "Content-Type: application/sdp\r\n", OFFER), WAIT);
            SipMessage answer = pbx.request(pbx.newRequest("INVITE", uri, "Content-Type: application/sdp\r\nProxy-Authorization: "
                    + DigestClient.answer(challenge.headers("Proxy-Authenticate").get(0), "INVITE", uri,
                    TestNetProvisioning.DIGEST_USER, TestNetProvisioning.DIGEST_PASSWORD, 1) + "\r\n", OFFER), WAIT);
            assertEquals(403, answer.status(), answer::toString);
        }
        assertNothingAt(carrier);
    }

    // ---- IC-CLI-OUT, IC-CNAM-OUT, IC-CHARGE, IC-DIVERSION, IC-OLI

    /** Places a call with {@code headers}, returns what the carrier received, and completes it. */
    private SipMessage carrierSees(String headers) throws Exception {
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.CUSTOMER_PBX)) {
            String text = invite(pbx, TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*" + CALLED, headers, OFFER);
            pbx.send(text);
            SipMessage atCarrier = awaitInvite(carrier);
            answerAndHangUp(pbx, parsed(text), carrier, atCarrier, "");
            return atCarrier;
        }
    }

    @Test
    @Tag("IC-CLI-OUT") @Tag("IC-CNAM-OUT")
    void callerIdComesFromPaiThenRpidThenFromWithoutTheCustomersDisplayName() throws Exception {
        SipMessage byPai = carrierSees("P-Asserted-Identity: \"Reception\" <sip:+12065550111@127.0.0.2>\r\n"
                + "Remote-Party-ID: \"Other\" <sip:+12065550122@127.0.0.2>;party=calling;screen=yes;privacy=off\r\n");
        assertTrue(byPai.header("P-Asserted-Identity").orElse("").contains("+12065550111"), byPai::toString);
        assertTrue(byPai.header("From").orElse("").contains("+12065550111"), byPai::toString);
        assertFalse(byPai.toString().contains("Reception"), () -> "IC-CNAM-OUT: the customer's display name is dropped: " + byPai);

        SipMessage byRpid = carrierSees("Remote-Party-ID: \"Other\" <sip:12065550122@127.0.0.2>;party=calling;screen=yes;privacy=off\r\n");
        assertTrue(byRpid.header("P-Asserted-Identity").orElse("").contains("+12065550122"), byRpid::toString);
        assertFalse(byRpid.header("Remote-Party-ID").isPresent(), "RPID is rebuilt as PAI, not copied");

        SipMessage byFrom = carrierSees("");
        assertTrue(byFrom.header("P-Asserted-Identity").orElse("").contains("+12065550100"), byFrom::toString);
        assertTrue(byFrom.header("From").orElse("").contains("sip:+12065550100@"), byFrom::toString);
    }

    @Test
    @Tag("IC-CNAM-OUT")
    void theStoredCnamNameIsPresentedAsTheDisplayName() throws Exception {
        org.opentrunk.testing.ApiClient api = org.opentrunk.testing.ApiClient.asAdmin();
        long customer = TestNetProvisioning.ensure();
        String caller = "+12065550177";
        if (api.get("/api/v1/numbers/" + caller).status() == 404) {
            assertEquals(201, api.post("/api/v1/numbers", "{\"e164\":\"" + caller + "\",\"customerId\":" + customer + "}").status());
        }
        assertEquals(200, api.put("/api/v1/numbers/" + caller + "/cnam", "{\"name\":\"ACME WIDGETS\"}").status());
        SipMessage seen = carrierSees("P-Asserted-Identity: \"Front Desk\" <sip:" + caller + "@127.0.0.2>\r\n");
        // Quoted or as tokens: RFC 3261 allows both, and Liberty's stack drops quotes it does not need.
        assertTrue(seen.header("From").orElse("").replace("\"", "").startsWith("ACME WIDGETS <sip:" + caller), seen::toString);
        assertFalse(seen.toString().contains("Front Desk"), seen::toString);
    }

    @Test
    void privacyIdHidesTheCallerInFromButNotFromTheCarrier() throws Exception {
        SipMessage seen = carrierSees("P-Asserted-Identity: <sip:+12065550111@127.0.0.2>\r\nPrivacy: id\r\n");
        assertTrue(seen.header("From").orElse("").contains("anonymous@anonymous.invalid"), seen::toString);
        assertTrue(seen.header("P-Asserted-Identity").orElse("").contains("+12065550111"), seen::toString);
        assertEquals("id", seen.header("Privacy").orElse(""), seen::toString);
    }

    @Test
    @Tag("IC-CHARGE") @Tag("IC-DIVERSION")
    void chargeInfoAndDiversionPassThroughInE164() throws Exception {
        SipMessage seen = carrierSees("P-Charge-Info: <sip:18005550100@127.0.0.2>\r\n"
                + "Diversion: <sip:+12065550199@127.0.0.2>;reason=unconditional;counter=1;privacy=off\r\n"
                + "X-Custom-Internal: secret\r\nUser-Agent: TestPBX 1.0\r\n");
        assertTrue(seen.header("P-Charge-Info").orElse("").contains("+18005550100"), seen::toString);
        String diversion = seen.header("Diversion").orElse("");
        assertTrue(diversion.contains("+12065550199") && diversion.contains("reason=unconditional")
                && diversion.contains("counter=1"), seen::toString);
        assertFalse(seen.header("X-Custom-Internal").isPresent(), "customer-internal headers stay at the edge");
    }

    @Test
    @Tag("IC-OLI")
    void oliAndJipRideOnTheIdentity() throws Exception {
        SipMessage seen = carrierSees("P-Asserted-Identity: <sip:+12065550111;isup-oli=62@127.0.0.2>;jip=206555\r\n");
        String pai = seen.header("P-Asserted-Identity").orElse("");
        assertTrue(pai.contains("isup-oli=62") && pai.contains("jip=206555"), seen::toString);
    }

    // ---- IC-CODEC

    @Test
    @Tag("IC-CODEC")
    void anOfferWithoutAllowedVoiceCodecGets488WithWarning() throws Exception {
        String g722only = "v=0\r\no=pbx 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 9 101\r\na=rtpmap:9 G722/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.CUSTOMER_PBX)) {
            SipMessage answer = pbx.request(invite(pbx, TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*" + CALLED, "", g722only), WAIT);
            assertEquals(488, answer.status(), answer::toString);
            assertTrue(answer.header("Warning").orElse("").startsWith("305 "), answer::toString);
        }
        assertNothingAt(carrier);
    }

    /** RFC 3261 §20.15 allows a Content-Type with an empty body; some PBXs send a late offer so. */
    @Test
    void aLateOfferWithAContentTypeButNoBodyIsPlaced() throws Exception {
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.CUSTOMER_PBX)) {
            String text = invite(pbx, TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*" + CALLED, "Content-Type: application/sdp\r\n", "");
            assertTrue(text.contains("Content-Length: 0"), text);
            pbx.send(text);
            SipMessage atCarrier = awaitInvite(carrier);
            assertEquals("", atCarrier.body(), atCarrier::toString);
            assertTrue(atCarrier.header("Content-Type").isEmpty(), () -> "no type for no body: " + atCarrier);
            answerAndHangUp(pbx, parsed(text), carrier, atCarrier, "");
        }
    }

    @Test
    @Tag("IC-CODEC") @Tag("IC-DIRECT")
    void onlyAllowedCodecsReachTheCarrierAndMediaStaysDirect() throws Exception {
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.CUSTOMER_PBX)) {
            String text = invite(pbx, TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*" + CALLED, "", OFFER);
            pbx.send(text);
            SipMessage atCarrier = awaitInvite(carrier);
            String sdp = atCarrier.body();
            assertTrue(sdp.contains("m=audio 40000 RTP/AVP 0 8 101"), sdp);
            assertFalse(sdp.contains("G722"), sdp);
            assertTrue(sdp.contains("c=IN IP4 127.0.0.2"), () -> "IC-DIRECT: media address untouched: " + sdp);
            answerAndHangUp(pbx, parsed(text), carrier, atCarrier, "");
        }
    }

    // ---- re-INVITEs: same SDP policy; T.38 (IC-FAX)

    @Test
    @Tag("IC-CODEC") @Tag("IC-FAX")
    void reinvitesFollowTheSdpPolicyAndAT38SwitchIsEnforced() throws Exception {
        String t38 = "v=0\r\no=pbx 1 2 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\n"
                + "m=image 40002 udptl t38\r\na=T38FaxVersion:0\r\na=T38MaxBitRate:14400\r\na=T38FaxRateManagement:transferredTCF\r\n"
                + "a=T38FaxMaxDatagram:400\r\na=T38FaxUdpEC:t38UDPFEC\r\n";
        String g722 = "v=0\r\no=pbx 1 3 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 9\r\na=rtpmap:9 G722/8000\r\n";
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.CUSTOMER_PBX)) {
            Dialog call = answeredCall(pbx, "f1");

            pbx.send(call.request("INVITE", "", t38));
            SipMessage fax = carrier.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
            assertTrue(fax.body().contains("m=image 40002 udptl t38"), fax::toString);
            assertTrue(fax.body().contains("a=T38MaxBitRate:9600"), () -> "IC-FAX: 9600 bit/s at most: " + fax.body());
            assertTrue(fax.body().contains("a=T38FaxUdpEC:t38UDPRedundancy"), fax::body);
            carrier.send(fax.response(488, "Not Acceptable Here", null, "", ""));
            SipMessage refused = pbx.await(m -> m.isResponse() && "INVITE".equals(m.method()) && m.status() >= 400, WAIT);
            assertEquals(488, refused.status(), "T.38 refused: the refusal goes back, the call stays up on G.711");

            SipMessage noCodec = pbx.request(call.request("INVITE", "", g722), WAIT);
            assertEquals(488, noCodec.status(), noCodec::toString);
            assertTrue(noCodec.header("Warning").isPresent());

            pbx.send(call.request("BYE", "", ""));
            SipMessage bye = carrier.await(m -> !m.isResponse() && "BYE".equals(m.method()), WAIT);
            carrier.send(bye.response(200, "OK", null, "", ""));
            assertEquals(200, pbx.await(m -> m.isResponse() && "BYE".equals(m.method()), WAIT).status());
        }
    }

    @Test
    @Tag("IC-FAX")
    void aT38SwitchLosesFillBitRemovalAndTranscodingBothWays() throws Exception {
        // IC-FAX: no ECM, no transcoding: the three attributes go in neither the offer nor the answer.
        String extras = "a=T38FaxFillBitRemoval\r\na=T38FaxTranscodingMMR\r\na=T38FaxTranscodingJBIG\r\n";
        String t38Offer = "v=0\r\no=pbx 1 2 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\n"
                + "m=image 40002 udptl t38\r\na=T38FaxVersion:0\r\na=T38MaxBitRate:9600\r\n" + extras
                + "a=T38FaxRateManagement:transferredTCF\r\na=T38FaxMaxDatagram:400\r\na=T38FaxUdpEC:t38UDPRedundancy\r\n";
        String t38Answer = "v=0\r\no=carrier 1 2 IN IP4 127.0.0.3\r\ns=-\r\nc=IN IP4 127.0.0.3\r\nt=0 0\r\n"
                + "m=image 41002 udptl t38\r\na=T38FaxVersion:0\r\na=T38MaxBitRate:9600\r\na=t38faxfillbitremoval:1\r\n"
                + "a=T38FaxTranscodingMMR:0\r\na=T38FaxTranscodingJBIG\r\na=T38FaxRateManagement:transferredTCF\r\n"
                + "a=T38FaxUdpEC:t38UDPRedundancy\r\n";
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.CUSTOMER_PBX)) {
            Dialog call = answeredCall(pbx, "f2");

            pbx.send(call.request("INVITE", "", t38Offer));
            SipMessage fax = carrier.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
            assertTrue(fax.body().contains("m=image 40002 udptl t38"), fax::toString);
            for (String removed : List.of("FillBitRemoval", "TranscodingMMR", "TranscodingJBIG")) {
                assertFalse(fax.body().toLowerCase(java.util.Locale.ROOT).contains(removed.toLowerCase(java.util.Locale.ROOT)),
                        () -> "IC-FAX: T38Fax" + removed + " removed from the offer: " + fax.body());
            }
            carrier.send(fax.response(200, "OK", null, "Contact: <sip:gw@127.0.0.3:15060>\r\n", t38Answer));
            SipMessage accepted = pbx.await(m -> m.isResponse() && "INVITE".equals(m.method()) && m.status() == 200
                    && m.body().contains("m=image"), WAIT);
            for (String removed : List.of("FillBitRemoval", "TranscodingMMR", "TranscodingJBIG")) {
                assertFalse(accepted.body().toLowerCase(java.util.Locale.ROOT).contains(removed.toLowerCase(java.util.Locale.ROOT)),
                        () -> "IC-FAX: T38Fax" + removed + " removed from the answer: " + accepted.body());
            }
            assertTrue(accepted.body().contains("a=T38FaxUdpEC:t38UDPRedundancy"), accepted::body);
            pbx.send(call.ack(accepted));
            carrier.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);

            pbx.send(call.request("BYE", "", ""));
            SipMessage bye = carrier.await(m -> !m.isResponse() && "BYE".equals(m.method()), WAIT);
            carrier.send(bye.response(200, "OK", null, "", ""));
            assertEquals(200, pbx.await(m -> m.isResponse() && "BYE".equals(m.method()), WAIT).status());
        }
    }

    /** An IP-authenticated call from {@code pbx}, answered by the carrier and acknowledged: the PBX's dialog. */
    private Dialog answeredCall(SipTestClient pbx, String carrierTag) throws Exception {
        String text = invite(pbx, TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*" + CALLED, "", OFFER);
        pbx.send(text);
        SipMessage atCarrier = awaitInvite(carrier);
        carrier.send(atCarrier.response(200, "OK", carrierTag, "Contact: <sip:gw@127.0.0.3:15060>\r\n", ANSWER));
        SipMessage ok = pbx.await(m -> m.isResponse() && m.status() == 200, WAIT);
        Dialog call = new Dialog(pbx, parsed(text), ok);
        pbx.send(call.ack());
        carrier.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);
        return call;
    }

    // ---- failover (IC-ROUTE for outbound calls)

    @Test
    void aCarrierAnswering503FailsOverToTheNext() throws Exception {
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.CUSTOMER_PBX)) {
            String text = invite(pbx, TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*" + CALLED, "", OFFER);
            pbx.send(text);
            SipMessage first = awaitInvite(carrier);
            carrier.send(first.response(503, "Service Unavailable", "x1", "", ""));
            SipMessage second = awaitInvite(secondCarrier);
            assertEquals("sip:" + CALLED + "@" + TestNet.SECOND_CARRIER + ":" + TestNet.CARRIER_PORT, second.requestUri());
            answerAndHangUp(pbx, parsed(text), secondCarrier, second, "");
        }
    }

    @Test
    void aSilentCarrierIsLeftAfterTheFailoverTimer() throws Exception {
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.CUSTOMER_PBX)) {
            String text = invite(pbx, TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*" + CALLED, "", OFFER);
            pbx.send(text);
            SipMessage silent = awaitInvite(carrier); // and say nothing
            SipMessage second = secondCarrier.await(m -> !m.isResponse() && "INVITE".equals(m.method()), Duration.ofSeconds(6));
            answerAndHangUp(pbx, parsed(text), secondCarrier, second, "");
            // The trunk may not CANCEL an INVITE that got no provisional (RFC 3261 §9.1): it keeps
            // retransmitting until Timer B. A late refusal ends that transaction here, not in the next test.
            carrier.send(silent.response(503, "Service Unavailable", "late", "", ""));
        }
    }

    @Test
    void busyIsTheCalleesAnswerAndIsNotRetried() throws Exception {
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.CUSTOMER_PBX)) {
            pbx.send(invite(pbx, TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*" + CALLED, "", OFFER));
            SipMessage first = awaitInvite(carrier);
            carrier.send(first.response(486, "Busy Here", "x2", "", ""));
            assertEquals(486, pbx.finalResponse(WAIT).status());
        }
        assertNothingAt(secondCarrier);
    }

    @Test
    void whenEveryCarrierFailsTheCustomerGetsTheLastAnswer() throws Exception {
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.CUSTOMER_PBX)) {
            pbx.send(invite(pbx, TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*" + CALLED, "", OFFER));
            SipMessage first = awaitInvite(carrier);
            carrier.send(first.response(503, "Service Unavailable", "x3", "", ""));
            SipMessage second = awaitInvite(secondCarrier);
            secondCarrier.send(second.response(502, "Bad Gateway", "x4", "Reason: Q.850;cause=38;text=\"Network out of order\"\r\n", ""));
            SipMessage answer = pbx.finalResponse(WAIT);
            assertEquals(502, answer.status(), answer::toString);
            assertTrue(answer.header("Reason").orElse("").contains("cause=38"), () -> "the Q.850 cause reaches the PBX: " + answer);
        }
    }

    @Test
    void cancelBeforeAnswerReachesTheCarrier() throws Exception {
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.CUSTOMER_PBX)) {
            String text = invite(pbx, TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*" + CALLED, "", OFFER);
            SipMessage sent = parsed(text);
            pbx.send(text);
            SipMessage atCarrier = awaitInvite(carrier);
            carrier.send(atCarrier.response(180, "Ringing", "r1", "", ""));
            pbx.await(m -> m.isResponse() && m.status() == 180, WAIT);
            String via = sent.header("Via").orElseThrow();
            pbx.send("CANCEL " + sent.requestUri() + " SIP/2.0\r\nVia: " + via + "\r\nMax-Forwards: 70\r\nFrom: "
                    + sent.header("From").orElseThrow() + "\r\nTo: " + sent.header("To").orElseThrow() + "\r\nCall-ID: "
                    + sent.header("Call-ID").orElseThrow() + "\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n");
            SipMessage cancel = carrier.await(m -> !m.isResponse() && "CANCEL".equals(m.method()), WAIT);
            carrier.send(cancel.response(200, "OK", "r1", "", ""));
            carrier.send(atCarrier.response(487, "Request Terminated", "r1", "", ""));
            assertEquals(487, pbx.await(m -> m.isResponse() && m.status() == 487, WAIT).status());
        }
    }
}
