package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.Future;
import javax.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrunk.testing.Dnsmasq;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.TestNet;
import org.opentrunk.testing.TestNetProvisioning;
import org.opentrunk.testing.TrunkUnderTest;

/**
 * Routes of type {@code srv} and {@code naptr} (IC-ROUTE, RFC 2782, RFC 3263) against a real DNS
 * server: dnsmasq on 127.0.0.1:15353, where the test server's OT_DNS_SERVER points.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("IC-ROUTE")
class DnsRoutingIT {

    static final Duration WAIT = Duration.ofSeconds(5);
    /** OT_DNS_SERVER of the test server (src/test/liberty/arq/server.xml). */
    static final int DNS_PORT = 15353;
    static final String PRIORITY_DID = "+12065550321";
    static final String WEIGHT_DID = "+12065550322";
    static final String NAPTR_DID = "+12065550323";
    /** Calls placed to observe the SRV weight distribution: bounded, and enough to tell 3:1 from 1:1. */
    static final int WEIGHTED_CALLS = 40;

    private static Dnsmasq dns;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    @BeforeAll
    static void dnsAndNumbers() throws Exception {
        dns = Dnsmasq.builder().port(DNS_PORT)
                // priority: the .4 PBX first (priority 10), the .2 PBX only when it fails (priority 20)
                .srv("_sip._udp.prio.routes.test", "first.routes.test", 15081, 10, 10)
                .srv("_sip._udp.prio.routes.test", "second.routes.test", 15081, 20, 10)
                // weight: 3 to 1 within one priority
                .srv("_sip._udp.weight.routes.test", "heavy.routes.test", 15082, 10, 30)
                .srv("_sip._udp.weight.routes.test", "light.routes.test", 15082, 10, 10)
                // NAPTR -> SRV over TCP -> A
                .naptr("naptr.routes.test", 10, 10, "s", "SIP+D2T", "", "_sip._tcp.naptr.routes.test")
                .srv("_sip._tcp.naptr.routes.test", "tcp.routes.test", 15083, 10, 10)
                .a("first.routes.test", TestNet.SECOND_PBX)
                .a("second.routes.test", TestNet.CUSTOMER_PBX)
                .a("heavy.routes.test", TestNet.CUSTOMER_PBX)
                .a("light.routes.test", TestNet.SECOND_PBX)
                .a("tcp.routes.test", TestNet.CUSTOMER_PBX)
                .start();
        long customer = TestNetProvisioning.ensure();
        InboundCallIT.number(customer, PRIORITY_DID, false, "[{\"type\":\"srv\",\"target\":\"prio.routes.test\",\"priority\":0}]");
        InboundCallIT.number(customer, WEIGHT_DID, false, "[{\"type\":\"srv\",\"target\":\"weight.routes.test\",\"priority\":0}]");
        InboundCallIT.number(customer, NAPTR_DID, false, "[{\"type\":\"naptr\",\"target\":\"naptr.routes.test\",\"priority\":0}]");
    }

    @AfterAll
    static void stopDns() throws Exception {
        if (dns != null) {
            dns.close();
        }
    }

    static SipTestClient carrier() {
        return new SipTestClient(Transport.UDP, TestNet.CARRIER, TestNet.CARRIER_PORT,
                SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT));
    }

    static SipTestClient pbxAt(String address, int port) {
        return new SipTestClient(Transport.UDP, address, port, SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT));
    }

    @Test
    void srvPriorityFailsOverToTheNextPriority() throws Exception {
        try (SipTestClient carrier = carrier(); SipTestClient first = pbxAt(TestNet.SECOND_PBX, 15081);
             SipTestClient second = pbxAt(TestNet.CUSTOMER_PBX, 15081)) {
            String sent = InboundCallIT.inviteFromCarrier(carrier, PRIORITY_DID, "12065550199", "");
            carrier.send(sent);
            SipMessage atFirst = InboundCallIT.awaitInvite(first);
            assertEquals("sip:" + PRIORITY_DID + "@" + TestNet.SECOND_PBX + ":15081", atFirst.requestUri());
            first.send(atFirst.response(503, "Service Unavailable", "f1", "", ""));
            SipMessage atSecond = InboundCallIT.awaitInvite(second);
            InboundCallIT.answerAndCarrierHangsUp(carrier, sent, second, atSecond, "");
            JsonObject cdr = InboundCallIT.cdrOfCarrierCall(InboundCallIT.parsed(sent).header("Call-ID").orElseThrow());
            assertTrue(cdr.getString("route").contains("second.routes.test"), cdr::toString);
        }
    }

    @Test
    void srvWeightsShareTheCallsWithinAPriority() throws Exception {
        int heavy = 0;
        int light = 0;
        try (SipTestClient carrier = carrier(); SipTestClient heavyPbx = pbxAt(TestNet.CUSTOMER_PBX, 15082);
             SipTestClient lightPbx = pbxAt(TestNet.SECOND_PBX, 15082)) {
            for (int call = 0; call < WEIGHTED_CALLS; call++) {
                String sent = InboundCallIT.inviteFromCarrier(carrier, WEIGHT_DID, "12065550199", "");
                carrier.send(sent);
                // The first target of each call says busy (486: the callee's answer, no failover).
                java.util.Optional<SipMessage> atHeavy = heavyPbx.receive(Duration.ofMillis(1500))
                        .filter(m -> "INVITE".equals(m.method()));
                SipTestClient answering = atHeavy.isPresent() ? heavyPbx : lightPbx;
                SipMessage invite = atHeavy.isPresent() ? atHeavy.get() : InboundCallIT.awaitInvite(lightPbx);
                if (atHeavy.isPresent()) {
                    heavy++;
                } else {
                    light++;
                }
                answering.send(invite.response(486, "Busy Here", "b" + call, "", ""));
                answering.await(m -> "ACK".equals(m.method()) && !m.isResponse(), WAIT);
                SipMessage busy = carrier.await(m -> m.isResponse() && m.status() >= 200 && "INVITE".equals(m.method()), WAIT);
                assertEquals(486, busy.status(), busy::toString);
                carrier.send(SipTestClient.ackFor(InboundCallIT.parsed(sent), busy));
            }
        }
        int heavyCalls = heavy;
        int lightCalls = light;
        // 3:1 over 40 calls: expect about 30/10; a 1:1 split would give about 20/20.
        assertTrue(heavyCalls >= 24 && heavyCalls <= 38 && lightCalls >= 2,
                () -> "RFC 2782 weights 30:10 -> heavy " + heavyCalls + ", light " + lightCalls);
    }

    @Test
    void naptrLeadsToSrvOverTcp() throws Exception {
        Future<SipTestClient> accepted = SipTestClient.listenTcp(TestNet.CUSTOMER_PBX, 15083, WAIT);
        try (SipTestClient carrier = carrier()) {
            String sent = InboundCallIT.inviteFromCarrier(carrier, NAPTR_DID, "12065550199", "");
            carrier.send(sent);
            try (SipTestClient pbx = accepted.get()) {
                SipMessage atPbx = InboundCallIT.awaitInvite(pbx);
                assertEquals("sip:" + NAPTR_DID + "@" + TestNet.CUSTOMER_PBX + ":15083;transport=tcp", atPbx.requestUri());
                assertTrue(atPbx.header("Via").orElse("").contains("TCP"), atPbx::toString);
                pbx.send(atPbx.response(486, "Busy Here", "n1", "", ""));
                SipMessage busy = carrier.await(m -> m.isResponse() && m.status() >= 200 && "INVITE".equals(m.method()), WAIT);
                assertEquals(486, busy.status());
                carrier.send(SipTestClient.ackFor(InboundCallIT.parsed(sent), busy));
            }
            JsonObject cdr = InboundCallIT.cdrOfCarrierCall(InboundCallIT.parsed(sent).header("Call-ID").orElseThrow());
            assertTrue(cdr.getString("route").startsWith("naptr naptr.routes.test SIP+D2T"), cdr::toString);
        }
    }
}
