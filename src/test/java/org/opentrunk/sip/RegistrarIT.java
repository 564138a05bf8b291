package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import javax.json.JsonValue;
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
import org.opentrunk.testing.SipRegistration;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.TestNet;
import org.opentrunk.testing.TestNetProvisioning;
import org.opentrunk.testing.TrunkUnderTest;

/**
 * The registrar (RFC 3261 §10.3) and routes of type {@code registration} (IC-ROUTE): the digest
 * customer's PBX on 127.0.0.4 registers a private Contact address, as a PBX behind NAT does, and
 * inbound calls reach it at the address and port its REGISTER came from.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RegistrarIT {

    static final Duration WAIT = Duration.ofSeconds(5);
    static final String REGISTERED_DID = "+12065550311";
    /** What a PBX behind NAT puts in its Contact: an address nobody outside can reach. */
    static final String PRIVATE_CONTACT = "sip:pbx@192.168.77.10:5060";

    private SipTestClient pbx;
    private SipTestClient carrier;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    @BeforeEach
    void provision() throws Exception {
        TestNetProvisioning.ensure();
        long digestCustomer = -1;
        for (JsonValue v : ApiClient.asAdmin().get("/api/v1/customers").array()) {
            if (TestNetProvisioning.DIGEST_TECH_PREFIX.equals(v.asJsonObject().getString("techPrefix"))) {
                digestCustomer = v.asJsonObject().getJsonNumber("id").longValue();
            }
        }
        InboundCallIT.number(digestCustomer, REGISTERED_DID, false, "[{\"type\":\"registration\",\"target\":\"\",\"priority\":0}]");
        pbx = new SipTestClient(Transport.UDP, TestNet.SECOND_PBX, SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT));
        carrier = new SipTestClient(Transport.UDP, TestNet.CARRIER, TestNet.CARRIER_PORT,
                SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT));
    }

    @AfterEach
    void unregisterAndClose() throws Exception {
        try {
            register("*", "Expires: 0\r\n");
        } finally {
            pbx.close();
            carrier.close();
        }
    }

    private SipMessage register(String contact, String extraHeaders) throws Exception {
        return SipRegistration.register(pbx, TestNet.TRUNK_DOMAIN, TestNetProvisioning.DIGEST_USER,
                TestNetProvisioning.DIGEST_PASSWORD, contact, extraHeaders, WAIT);
    }

    private String registerRequest(String contact, String extraHeaders, String authorization) {
        return SipRegistration.request(pbx, TestNet.TRUNK_DOMAIN, TestNetProvisioning.DIGEST_USER, contact, extraHeaders,
                authorization);
    }

    @Test
    @Tag("IC-ROUTE")
    void aRegisteredPbxBehindNatReceivesItsCallsAtTheRegistersSource() throws Exception {
        SipMessage ok = register(PRIVATE_CONTACT, "Expires: 120\r\nUser-Agent: TestPBX 1.0\r\n");
        assertEquals(200, ok.status(), ok::toString);
        List<String> contacts = ok.headers("Contact");
        assertEquals(1, contacts.size(), ok::toString);
        assertTrue(contacts.get(0).contains("192.168.77.10") && contacts.get(0).contains("expires="), ok::toString);

        String sent = InboundCallIT.inviteFromCarrier(carrier, REGISTERED_DID, "12065550199", "");
        carrier.send(sent);
        SipMessage atPbx = pbx.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
        assertEquals(PRIVATE_CONTACT, atPbx.requestUri(), "the registered Contact is the Request-URI");
        InboundCallIT.answerAndCarrierHangsUp(carrier, sent, pbx, atPbx, "");
    }

    @Test
    void afterUnregisteringTheNumberIsUnavailable() throws Exception {
        assertEquals(200, register(PRIVATE_CONTACT, "Expires: 120\r\n").status());
        SipMessage removed = register(PRIVATE_CONTACT, "Expires: 0\r\n");
        assertEquals(200, removed.status(), removed::toString);
        assertTrue(removed.headers("Contact").isEmpty(), () -> "no binding left: " + removed);
        SipMessage answer = carrier.request(InboundCallIT.inviteFromCarrier(carrier, REGISTERED_DID, "12065550199", ""), WAIT);
        assertEquals(480, answer.status(), answer::toString);
    }

    @Test
    void severalContactsAndTheWildcardRemovesThemAll() throws Exception {
        assertEquals(200, register(PRIVATE_CONTACT, "Expires: 120\r\n").status());
        SipMessage two = register("sip:desk@192.168.77.11:5062", "Expires: 120\r\n");
        assertEquals(2, two.headers("Contact").size(), two::toString);
        SipMessage none = register("*", "Expires: 0\r\n");
        assertEquals(200, none.status(), none::toString);
        assertTrue(none.headers("Contact").isEmpty(), none::toString);
        SipMessage badWildcard = register("*", "Expires: 60\r\n");
        assertEquals(400, badWildcard.status(), () -> "'*' needs Expires: 0: " + badWildcard);
    }

    @Test
    void tooShortAnIntervalIs423WithMinExpires() throws Exception {
        SipMessage brief = register(PRIVATE_CONTACT, "Expires: 2\r\n");
        assertEquals(423, brief.status(), brief::toString);
        assertEquals("5", brief.header("Min-Expires").orElse(""), "the test server's OT_REGISTER_MIN_EXPIRES");
    }

    @Test
    void wrongCredentialsAre403AndRegisterNothing() throws Exception {
        String first = registerRequest(PRIVATE_CONTACT, "Expires: 120\r\n", "");
        String offered = pbx.request(first, WAIT).headers("WWW-Authenticate").get(0);
        SipMessage refused = pbx.request(registerRequest(PRIVATE_CONTACT, "Expires: 120\r\n", "Authorization: "
                + DigestClient.answer(offered, "REGISTER", "sip:" + TestNet.TRUNK_DOMAIN, TestNetProvisioning.DIGEST_USER,
                "wrong", 1) + "\r\n"), WAIT);
        assertEquals(403, refused.status(), refused::toString);
        SipMessage answer = carrier.request(InboundCallIT.inviteFromCarrier(carrier, REGISTERED_DID, "12065550199", ""), WAIT);
        assertEquals(480, answer.status(), answer::toString);
    }

    @Test
    void keepalivesReachTheRegisteredPbx() throws Exception {
        assertEquals(200, register(PRIVATE_CONTACT, "Expires: 120\r\n").status());
        // OT_KEEPALIVE_INTERVAL is 2 s on the test server.
        SipMessage keepalive = pbx.await(m -> !m.isResponse() && "OPTIONS".equals(m.method()), Duration.ofSeconds(6));
        assertFalse(keepalive.header(CarrierProbe.TOKEN_HEADER).isPresent(), "OpenTrunk's loop token never leaves");
        assertEquals("sip:" + TestNet.SECOND_PBX + ":" + pbx.localPort(), keepalive.requestUri(),
                "sent to where the REGISTER came from");
        pbx.send(keepalive.response(200, "OK", "k1", "", ""));
    }
}
