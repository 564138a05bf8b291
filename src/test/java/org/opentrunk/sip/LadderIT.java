package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrunk.sip.OutboundCallIT.CALLED;
import static org.opentrunk.sip.OutboundCallIT.OFFER;
import static org.opentrunk.sip.OutboundCallIT.WAIT;
import static org.opentrunk.sip.OutboundCallIT.answerAndHangUp;
import static org.opentrunk.sip.OutboundCallIT.awaitInvite;
import static org.opentrunk.sip.OutboundCallIT.invite;
import static org.opentrunk.sip.OutboundCallIT.parsed;
import static org.opentrunk.sip.OutboundCallIT.pbx;

import java.time.Duration;
import java.util.List;
import javax.json.JsonArray;
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
import org.opentrunk.testing.DigestClient;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.TestNet;
import org.opentrunk.testing.TestNetProvisioning;
import org.opentrunk.testing.TrunkUnderTest;

/**
 * The SIP ladder of a call (issue 26): a real call through the trunk, then its CDR's messages
 * through {@code GET /api/v1/cdrs/{id}/messages}, both legs, in order, credentials masked.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("IC-CDR")
class LadderIT {

    private SipTestClient carrier;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    @BeforeEach
    void carrierListens() throws Exception {
        TestNetProvisioning.ensure();
        carrier = new SipTestClient(Transport.UDP, TestNet.CARRIER, TestNet.CARRIER_PORT,
                SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT));
    }

    @AfterEach
    void close() throws Exception {
        carrier.close();
    }

    /**
     * The messages of the CDR {@code id}, once there are {@code count} of them (the last ones are
     * kept just after they are sent), or what there is after 5 s (the assertions then say which are missing).
     */
    private static JsonArray messages(long id, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        JsonArray found = null;
        while (System.nanoTime() < deadline) {
            ApiClient.Reply reply = ApiClient.asAdmin().get("/api/v1/cdrs/" + id + "/messages");
            if (reply.status() == 200) {
                found = reply.array();
                if (found.size() >= count) {
                    return found;
                }
            }
            Thread.sleep(100);
        }
        assertTrue(found != null, "no messages for CDR " + id);
        return found;
    }

    /** "leg direction summary" of each message of {@code leg}, in order. */
    private static List<String> steps(JsonArray messages, String leg) {
        return messages.stream().map(v -> v.asJsonObject()).filter(m -> leg.equals(m.getString("leg")))
                .map(m -> m.getString("direction") + " " + m.getString("summary")).toList();
    }

    private static int indexOf(JsonArray messages, String leg, String direction, String summary) {
        for (int i = 0; i < messages.size(); i++) {
            JsonObject m = messages.getJsonObject(i);
            if (leg.equals(m.getString("leg")) && direction.equals(m.getString("direction")) && summary.equals(m.getString("summary"))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    @Tag("IC-DIGEST")
    void aDigestCallsLadderHasBothLegsInOrderWithTheCredentialsMasked() throws Exception {
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.SECOND_PBX)) {
            SipMessage challenge = pbx.request(invite(pbx, CALLED, "", OFFER), WAIT);
            assertEquals(407, challenge.status(), challenge::toString);
            String uri = "sip:" + CALLED + "@" + TestNet.TRUNK_DOMAIN;
            String credentials = DigestClient.answer(challenge.headers("Proxy-Authenticate").get(0), "INVITE", uri,
                    TestNetProvisioning.DIGEST_USER, TestNetProvisioning.DIGEST_PASSWORD, 1);
            String authorized = invite(pbx, CALLED, "Proxy-Authorization: " + credentials + "\r\n", OFFER);
            SipMessage sent = parsed(authorized);
            pbx.send(authorized);
            SipMessage atCarrier = awaitInvite(carrier);
            carrier.send(atCarrier.response(180, "Ringing", "c9", "", ""));
            pbx.await(m -> m.isResponse() && m.status() == 180, WAIT);
            answerAndHangUp(pbx, sent, carrier, atCarrier, "");

            JsonObject cdr = ApiClient.asAdmin().awaitCdr(sent.header("Call-ID").orElseThrow());
            long id = cdr.getJsonNumber("id").longValue();
            JsonArray messages = messages(id, 12);

            assertEquals(List.of("in INVITE", "out 180 Ringing (INVITE)", "out 200 OK (INVITE)", "in ACK", "in BYE",
                    "out 200 OK (BYE)"), steps(messages, "caller"), messages::toString);
            assertEquals(List.of("out INVITE", "in 180 Ringing (INVITE)", "in 200 OK (INVITE)", "out ACK", "out BYE",
                    "in 200 OK (BYE)"), steps(messages, "callee"), messages::toString);
            assertEquals(12, messages.size(), messages::toString);
            // across the legs: each message is passed on after it arrived
            assertTrue(indexOf(messages, "caller", "in", "INVITE") < indexOf(messages, "callee", "out", "INVITE"), messages::toString);
            assertTrue(indexOf(messages, "callee", "in", "180 Ringing (INVITE)") < indexOf(messages, "caller", "out", "180 Ringing (INVITE)"), messages::toString);
            assertTrue(indexOf(messages, "callee", "in", "200 OK (INVITE)") < indexOf(messages, "caller", "out", "200 OK (INVITE)"), messages::toString);
            assertTrue(indexOf(messages, "caller", "in", "BYE") < indexOf(messages, "callee", "out", "BYE"), messages::toString);
            long previous = 0;
            for (int i = 0; i < messages.size(); i++) {
                long time = messages.getJsonObject(i).getJsonNumber("timeMs").longValue();
                assertTrue(time >= previous || i == 0, () -> "times in order: " + messages);
                previous = time;
            }

            JsonObject callerInvite = messages.getJsonObject(0);
            assertEquals("caller", callerInvite.getString("leg"));
            assertTrue(callerInvite.getString("peer").startsWith(TestNet.SECOND_PBX + ":"), callerInvite::toString);
            String text = callerInvite.getString("text");
            assertTrue(text.startsWith("INVITE " + uri), text);
            assertTrue(text.contains("Digest username=\"" + TestNetProvisioning.DIGEST_USER + "\""), text);
            assertTrue(text.contains("response=\"***\""), text);
            String response = DigestClient.param(credentials, "response");
            assertFalse(text.contains(response), "the digest response is masked: " + text);
            assertFalse(text.contains(DigestClient.param(credentials, "nonce")), "the nonce is masked: " + text);
            JsonObject calleeInvite = messages.getJsonObject(indexOf(messages, "callee", "out", "INVITE"));
            assertTrue(calleeInvite.getString("text").startsWith("INVITE sip:" + CALLED + "@" + TestNet.CARRIER), calleeInvite::toString);
            assertTrue(calleeInvite.getString("text").contains("Via: "), "the text is the message as sent: " + calleeInvite);
        }
    }

    /**
     * A cancelled call: the CANCELs and the carrier's 487. The container answers the caller's
     * CANCEL and INVITE itself, and takes the carrier's 200 to the CANCEL: the application sees none.
     */
    @Test
    void aCancelledCallsLadder() throws Exception {
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.CUSTOMER_PBX)) {
            String text = invite(pbx, TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*" + CALLED, "", OFFER);
            SipMessage sent = parsed(text);
            pbx.send(text);
            SipMessage atCarrier = awaitInvite(carrier);
            carrier.send(atCarrier.response(180, "Ringing", "r1", "", ""));
            pbx.await(m -> m.isResponse() && m.status() == 180, WAIT);
            pbx.send("CANCEL " + sent.requestUri() + " SIP/2.0\r\nVia: " + sent.header("Via").orElseThrow()
                    + "\r\nMax-Forwards: 70\r\nFrom: " + sent.header("From").orElseThrow() + "\r\nTo: "
                    + sent.header("To").orElseThrow() + "\r\nCall-ID: " + sent.header("Call-ID").orElseThrow()
                    + "\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n");
            SipMessage cancel = carrier.await(m -> !m.isResponse() && "CANCEL".equals(m.method()), WAIT);
            carrier.send(cancel.response(200, "OK", "r1", "", ""));
            carrier.send(atCarrier.response(487, "Request Terminated", "r1", "", ""));
            assertEquals(487, pbx.await(m -> m.isResponse() && m.status() == 487, WAIT).status());

            JsonObject cdr = ApiClient.asAdmin().awaitCdr(sent.header("Call-ID").orElseThrow());
            JsonArray messages = messages(cdr.getJsonNumber("id").longValue(), 7);
            assertEquals(List.of("in INVITE", "out 180 Ringing (INVITE)", "in CANCEL"), steps(messages, "caller"), messages::toString);
            assertEquals(List.of("out INVITE", "in 180 Ringing (INVITE)", "out CANCEL",
                    "in 487 Request Terminated (INVITE)"), steps(messages, "callee"), messages::toString);
        }
    }

    @Test
    void aRefusedAttemptKeepsItsInviteAndRefusal() throws Exception {
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.CUSTOMER_PBX)) {
            String tooShort = invite(pbx, TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*+1206", "", OFFER);
            assertEquals(484, pbx.request(tooShort, WAIT).status());
            JsonObject cdr = ApiClient.asAdmin().awaitCdr(parsed(tooShort).header("Call-ID").orElseThrow());
            JsonArray messages = messages(cdr.getJsonNumber("id").longValue(), 2);
            assertEquals("in INVITE", steps(messages, "caller").get(0), messages::toString);
            assertTrue(steps(messages, "caller").get(1).startsWith("out 484 "), messages::toString);
        }
    }

    @Test
    void unknownCdrIs404() throws Exception {
        ApiClient.Reply reply = ApiClient.asAdmin().get("/api/v1/cdrs/987654321/messages");
        assertEquals(404, reply.status(), reply::toString);
        assertTrue(reply.json().getString("error").contains("987654321"), reply::toString);
    }
}
