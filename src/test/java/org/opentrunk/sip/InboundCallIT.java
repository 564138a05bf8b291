package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.Dialog;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.TestNet;
import org.opentrunk.testing.TestNetProvisioning;
import org.opentrunk.testing.TrunkUnderTest;

/**
 * Inbound DID calls, carrier -> OpenTrunk -> the number's routes (IC-ROUTE, IC-CLI-IN,
 * IC-CNAM-IN, IC-CDR): the carrier on 127.0.0.3, the customer's PBX listening on 127.0.0.2 and a
 * second PBX on 127.0.0.4, each a raw SIP peer.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class InboundCallIT {

    static final Duration WAIT = Duration.ofSeconds(5);
    /** Where the test PBXs listen for inbound calls. */
    static final int PBX_PORT = 15070;
    /** The CNAM provider the test server's OT_CNAM_URL points at (src/test/liberty/arq/server.xml). */
    static final int CNAM_PORT = 18089;
    static final String HOST_DID = "+12065550301";
    static final String LOOKUP_DID = "+12065550302";
    static final String FAILOVER_DID = "+12065550303";
    static final String NO_ROUTE_DID = "+12065550304";
    /** A customer number with a stored CNAM name: calls from it present that name. */
    static final String NAMED_CALLER = "+12065550305";
    static final String OFFER = OutboundCallIT.OFFER.replace("127.0.0.2", "127.0.0.3");
    static final String ANSWER = "v=0\r\no=pbx 3 3 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";

    private SipTestClient carrier;
    private SipTestClient pbx;
    private SipTestClient secondPbx;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    @BeforeEach
    void provisionAndListen() throws Exception {
        long customer = TestNetProvisioning.ensure();
        String host = "{\"type\":\"host\",\"target\":\"" + TestNet.CUSTOMER_PBX + ":" + PBX_PORT + "\",\"priority\":0}";
        String second = "{\"type\":\"host\",\"target\":\"" + TestNet.SECOND_PBX + ":" + PBX_PORT + "\",\"priority\":1}";
        number(customer, HOST_DID, false, "[" + host + "]");
        number(customer, LOOKUP_DID, true, "[" + host + "]");
        number(customer, FAILOVER_DID, false, "[" + host.replace("\"priority\":0", "\"priority\":5") + "," + second + "]");
        number(customer, NO_ROUTE_DID, false, "[]");
        number(customer, NAMED_CALLER, false, "[" + host + "]");
        ApiClient.asAdmin().put("/api/v1/numbers/" + NAMED_CALLER + "/cnam", "{\"name\":\"ACME CORP\"}");
        carrier = new SipTestClient(Transport.UDP, TestNet.CARRIER, TestNet.CARRIER_PORT,
                SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT));
        pbx = new SipTestClient(Transport.UDP, TestNet.CUSTOMER_PBX, PBX_PORT,
                SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT));
        secondPbx = new SipTestClient(Transport.UDP, TestNet.SECOND_PBX, PBX_PORT,
                SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT));
    }

    @AfterEach
    void close() throws Exception {
        carrier.close();
        pbx.close();
        secondPbx.close();
    }

    /** (Re)creates a number of the test customer with these routes. */
    /**
     * {@code did} delivered to the PBX at {@code pbx}:{@code port} (a host route, CNAM lookup on),
     * and {@code caller} a number of the same customer with {@code name} in CNAM storage.
     */
    static void didToPbxWithNamedCaller(long customer, String did, String pbx, int port, String caller, String name)
            throws Exception {
        number(customer, did, true, "[{\"type\":\"host\",\"target\":\"" + pbx + ":" + port + "\",\"priority\":0}]");
        number(customer, caller, false, "[]");
        ApiClient.Reply cnam = ApiClient.asAdmin().put("/api/v1/numbers/" + caller + "/cnam", "{\"name\":\"" + name + "\"}");
        assertTrue(cnam.status() < 300, cnam::toString);
    }

    static void number(long customer, String e164, boolean cnamLookup, String routes) throws Exception {
        ApiClient api = ApiClient.asAdmin();
        api.delete("/api/v1/numbers/" + e164);
        ApiClient.Reply r = api.post("/api/v1/numbers", "{\"e164\":\"" + e164 + "\",\"customerId\":" + customer
                + ",\"cnamLookup\":" + cnamLookup + ",\"routes\":" + routes + "}");
        if (r.status() != 201) {
            throw new AssertionError("provisioning " + e164 + ": " + r);
        }
    }

    /** An INVITE from the carrier to a DID, from a national caller number with a display name. */
    static String inviteFromCarrier(SipTestClient carrier, String did, String caller, String extraHeaders) {
        String text = carrier.newRequest("INVITE", "sip:" + did + "@" + TestNet.TRUNK_DOMAIN,
                "Content-Type: application/sdp\r\nP-Asserted-Identity: <sip:" + caller + "@" + TestNet.CARRIER + ">\r\n"
                        + extraHeaders, OFFER);
        return text.replaceFirst("From: <sip:\\+12065550100@[^>]*>", "From: \"Carrier Sent Name\" <sip:" + caller + "@" + TestNet.CARRIER + ">");
    }

    static SipMessage parsed(String text) {
        return SipMessage.parse(text.getBytes(StandardCharsets.UTF_8), text.getBytes(StandardCharsets.UTF_8).length);
    }

    static SipMessage awaitInvite(SipTestClient at) throws Exception {
        return at.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
    }

    /** Answers at the PBX, ACKs at the carrier, hangs up from the carrier. */
    static void answerAndCarrierHangsUp(SipTestClient carrier, String sent, SipTestClient pbx, SipMessage atPbx,
                                        String pbxExtraHeaders) throws Exception {
        pbx.send(atPbx.response(200, "OK", "p1", "Contact: <sip:pbx@" + pbx.localAddress() + ":" + pbx.localPort() + ">\r\n"
                + pbxExtraHeaders, ANSWER));
        SipMessage ok = carrier.await(m -> m.isResponse() && m.status() == 200 && "INVITE".equals(m.method()), WAIT);
        Dialog call = new Dialog(carrier, parsed(sent), ok);
        carrier.send(call.ack());
        pbx.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);
        carrier.send(call.request("BYE", "", ""));
        SipMessage bye = pbx.await(m -> !m.isResponse() && "BYE".equals(m.method()), WAIT);
        pbx.send(bye.response(200, "OK", null, "", ""));
        carrier.await(m -> m.isResponse() && "BYE".equals(m.method()), WAIT);
    }

    @Test
    @Tag("IC-ROUTE") @Tag("IC-RURI") @Tag("IC-CLI-IN") @Tag("IC-TIMER")
    void didReachesItsHostRouteInE164WithoutAName() throws Exception {
        String sent = inviteFromCarrier(carrier, HOST_DID.substring(1), "12065550199", "X-Tag: from-carrier\r\n"
                + "Diversion: <sip:+12065550111@" + TestNet.CARRIER + ">;reason=unconditional\r\n");
        carrier.send(sent);
        SipMessage atPbx = awaitInvite(pbx);
        assertEquals("sip:" + HOST_DID + "@" + TestNet.CUSTOMER_PBX + ":" + PBX_PORT, atPbx.requestUri(),
                "the number with + at the route's host (IC-RURI)");
        String from = atPbx.header("From").orElseThrow();
        assertTrue(from.contains("sip:+12065550199@"), () -> "IC-CLI-IN: E.164 caller in From: " + from);
        assertFalse(from.contains("Carrier Sent Name"), () -> "no name without cnamLookup: " + from);
        String pai = atPbx.header("P-Asserted-Identity").orElseThrow();
        assertTrue(pai.contains("sip:+12065550199@"), () -> "IC-CLI-IN: E.164 caller in PAI: " + pai);
        assertTrue(atPbx.header("Diversion").orElse("").contains("+12065550111"), atPbx::toString);
        assertTrue(atPbx.header("Session-Expires").isPresent(), "IC-TIMER: the customer leg asks for timers");
        answerAndCarrierHangsUp(carrier, sent, pbx, atPbx, "");

        JsonObject cdr = cdrOfCarrierCall(parsed(sent).header("Call-ID").orElseThrow());
        assertEquals("inbound", cdr.getString("direction"));
        assertEquals(atPbx.header("Call-ID").orElseThrow(), cdr.getString("customerCallId"));
        assertEquals("host " + TestNet.CUSTOMER_PBX + ":" + PBX_PORT, cdr.getString("route"));
        assertEquals("from-carrier", cdr.getString("xTag"));
        assertEquals("caller_bye", cdr.getString("disconnectCause"));
        assertEquals(HOST_DID, cdr.getString("callee"));
        assertEquals("+12065550199", cdr.getString("caller"));
    }

    @Test
    @Tag("IC-CNAM-IN")
    void cnamLookupPresentsTheStoredName() throws Exception {
        String sent = inviteFromCarrier(carrier, LOOKUP_DID, NAMED_CALLER, "");
        carrier.send(sent);
        SipMessage atPbx = awaitInvite(pbx);
        assertTrue(atPbx.header("From").orElseThrow().startsWith("\"ACME CORP\" <"),
                () -> "quoted: some phones keep only the last word of an unquoted name: " + atPbx);
        assertEquals("ACME CORP", displayName(atPbx.header("From").orElseThrow()), atPbx::toString);
        assertEquals("ACME CORP", displayName(atPbx.header("P-Asserted-Identity").orElseThrow()), atPbx::toString);
        answerAndCarrierHangsUp(carrier, sent, pbx, atPbx, "");
    }

    @Test
    @Tag("IC-CNAM-IN")
    void cnamLookupAsksTheHttpProviderAndCachesItsAnswer() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        String[] number = {null};
        HttpServer provider = HttpServer.create(new InetSocketAddress("127.0.0.1", CNAM_PORT), 0);
        provider.createContext("/cnam", exchange -> {
            asked.incrementAndGet();
            number[0] = exchange.getRequestURI().getQuery();
            byte[] name = "JANE \"Q\" DOE".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, name.length);
            exchange.getResponseBody().write(name);
            exchange.close();
        });
        provider.start();
        try {
            String caller = "+1206555" + (1000 + (int) (System.nanoTime() % 8000));
            for (int call = 0; call < 2; call++) {
                String sent = inviteFromCarrier(carrier, LOOKUP_DID, caller, "");
                carrier.send(sent);
                SipMessage atPbx = awaitInvite(pbx);
                String from = atPbx.header("From").orElseThrow();
                assertEquals("JANE Q DOE", displayName(from), () -> "IC-CNAM-IN: the provider's name, made safe: " + from);
                answerAndCarrierHangsUp(carrier, sent, pbx, atPbx, "");
            }
            assertEquals(1, asked.get(), "the second call is answered from the cache");
            assertTrue(number[0].contains(caller.substring(1)), () -> "the caller's number in the URL: " + number[0]);
        } finally {
            provider.stop(0);
        }
    }

    @Test
    void anAnonymousCallerStaysAnonymous() throws Exception {
        String sent = inviteFromCarrier(carrier, HOST_DID, "12065550199", "Privacy: id\r\n")
                .replaceFirst("From: [^\r]*", "From: \"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=an1");
        carrier.send(sent);
        SipMessage atPbx = awaitInvite(pbx);
        String from = atPbx.header("From").orElseThrow();
        assertTrue(from.contains("sip:anonymous@anonymous.invalid") && !from.contains("2065550199"),
                () -> "the number stays hidden: " + from);
        assertFalse(atPbx.header("P-Asserted-Identity").isPresent(),
                "RFC 3325: a withheld identity does not leave the trust domain");
        assertTrue(atPbx.header("Privacy").orElse("").contains("id"), atPbx::toString);
        answerAndCarrierHangsUp(carrier, sent, pbx, atPbx, "");
        assertEquals("+12065550199", cdrOfCarrierCall(parsed(sent).header("Call-ID").orElseThrow()).getString("caller"),
                "the CDR keeps the asserted number");
    }

    @Test
    void unknownNumberIs404AndANumberWithoutRoutes480() throws Exception {
        SipMessage unknown = carrier.request(inviteFromCarrier(carrier, "+12065559999", "12065550199", ""), WAIT);
        assertEquals(404, unknown.status(), unknown::toString);
        SipMessage noRoute = carrier.request(inviteFromCarrier(carrier, NO_ROUTE_DID, "12065550199", ""), WAIT);
        assertEquals(480, noRoute.status(), noRoute::toString);
        JsonObject cdr = cdrOfCarrierCall(noRoute.header("Call-ID").orElseThrow());
        assertEquals("refused", cdr.getString("disconnectCause"));
        assertEquals(480, cdr.getInt("sipStatus"));
    }

    @Test
    @Tag("IC-ROUTE") @Tag("IC-TAG") @Tag("IC-CDR")
    void aPbxAnswering503FailsOverToTheNextRoute() throws Exception {
        String sent = inviteFromCarrier(carrier, FAILOVER_DID, "12065550199", "");
        carrier.send(sent);
        SipMessage first = awaitInvite(secondPbx);
        secondPbx.send(first.response(503, "Service Unavailable", "s1", "", ""));
        secondPbx.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);
        SipMessage atPbx = awaitInvite(pbx);
        assertEquals("sip:" + FAILOVER_DID + "@" + TestNet.CUSTOMER_PBX + ":" + PBX_PORT, atPbx.requestUri());
        answerAndCarrierHangsUp(carrier, sent, pbx, atPbx, "X-Tag: from-pbx\r\n");
        JsonObject cdr = cdrOfCarrierCall(parsed(sent).header("Call-ID").orElseThrow());
        assertEquals("host " + TestNet.CUSTOMER_PBX + ":" + PBX_PORT, cdr.getString("route"), "the route that answered");
        assertEquals("from-pbx", cdr.getString("xTag"), "IC-TAG: the answering 200 OK's X-Tag");
    }

    @Test
    void carrierCancelsBeforeTheAnswer() throws Exception {
        String sent = inviteFromCarrier(carrier, HOST_DID, "12065550199", "");
        carrier.send(sent);
        SipMessage atPbx = awaitInvite(pbx);
        pbx.send(atPbx.response(180, "Ringing", "p2", "", ""));
        carrier.await(m -> m.isResponse() && m.status() == 180, WAIT);
        SipMessage invite = parsed(sent);
        String cancel = sent.substring(0, sent.indexOf("\r\n\r\n") + 4).replaceFirst("^INVITE", "CANCEL")
                .replace("CSeq: 1 INVITE", "CSeq: 1 CANCEL").replaceAll("Content-Length: \\d+", "Content-Length: 0")
                .replace("Content-Type: application/sdp\r\n", "");
        carrier.send(cancel);
        SipMessage cancelAtPbx = pbx.await(m -> !m.isResponse() && "CANCEL".equals(m.method()), WAIT);
        pbx.send(cancelAtPbx.response(200, "OK", "p2", "", ""));
        pbx.send(atPbx.response(487, "Request Terminated", "p2", "", ""));
        SipMessage terminated = carrier.await(m -> m.isResponse() && "INVITE".equals(m.method()) && m.status() >= 200, WAIT);
        assertEquals(487, terminated.status());
        carrier.send(SipTestClient.ackFor(invite, terminated));
        JsonObject cdr = cdrOfCarrierCall(invite.header("Call-ID").orElseThrow());
        assertEquals("cancelled", cdr.getString("disconnectCause"));
    }

    @Test
    void thePbxHangsUp() throws Exception {
        String sent = inviteFromCarrier(carrier, HOST_DID, "12065550199", "");
        carrier.send(sent);
        SipMessage atPbx = awaitInvite(pbx);
        pbx.send(atPbx.response(200, "OK", "p3", "Contact: <sip:pbx@" + TestNet.CUSTOMER_PBX + ":" + PBX_PORT + ">\r\n"
                , ANSWER));
        SipMessage ok = carrier.await(m -> m.isResponse() && m.status() == 200 && "INVITE".equals(m.method()), WAIT);
        carrier.send(new Dialog(carrier, parsed(sent), ok).ack());
        pbx.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);
        Dialog fromPbx = Dialog.calleeSide(pbx, atPbx, "p3");
        pbx.send(fromPbx.request("BYE", "", ""));
        SipMessage bye = carrier.await(m -> !m.isResponse() && "BYE".equals(m.method()), WAIT);
        carrier.send(bye.response(200, "OK", null, "", ""));
        assertEquals(200, pbx.await(m -> m.isResponse() && "BYE".equals(m.method()), WAIT).status());
        JsonObject cdr = cdrOfCarrierCall(parsed(sent).header("Call-ID").orElseThrow());
        assertEquals("callee_bye", cdr.getString("disconnectCause"));
    }

    /** The display name of a name-addr, without the quotes the container may or may not keep. */
    static String displayName(String nameAddr) {
        int angle = nameAddr.indexOf('<');
        String name = angle < 0 ? "" : nameAddr.substring(0, angle).trim();
        return name.startsWith("\"") && name.endsWith("\"") && name.length() >= 2 ? name.substring(1, name.length() - 1) : name;
    }

    /** The CDR of an inbound call, by the carrier's Call-ID. */
    static JsonObject cdrOfCarrierCall(String carrierCallId) {
        return ApiClient.asAdmin().awaitCdr(carrierCallId);
    }
}
