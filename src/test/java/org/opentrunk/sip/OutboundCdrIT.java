package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrunk.sip.OutboundCallIT.CALLED;
import static org.opentrunk.sip.OutboundCallIT.OFFER;
import static org.opentrunk.sip.OutboundCallIT.WAIT;
import static org.opentrunk.sip.OutboundCallIT.answerAndHangUp;
import static org.opentrunk.sip.OutboundCallIT.awaitInvite;
import static org.opentrunk.sip.OutboundCallIT.invite;
import static org.opentrunk.sip.OutboundCallIT.parsed;
import static org.opentrunk.sip.OutboundCallIT.pbx;

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
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.TestNet;
import org.opentrunk.testing.TestNetProvisioning;
import org.opentrunk.testing.TrunkUnderTest;

/** IC-CDR and IC-TAG: every authenticated outbound INVITE leaves one CDR, read back through the API. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("IC-CDR")
class OutboundCdrIT {

    private static final String DIALLED = TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*" + CALLED;
    private SipTestClient carrier;
    private long customerId;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    @BeforeEach
    void carrierListens() throws Exception {
        customerId = TestNetProvisioning.ensure();
        carrier = new SipTestClient(Transport.UDP, TestNet.CARRIER, TestNet.CARRIER_PORT,
                SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT));
    }

    @AfterEach
    void close() throws Exception {
        carrier.close();
    }

    /** The CDR of the call whose customer leg had this Call-ID (written asynchronously). */
    static JsonObject cdrOf(String customerCallId) {
        return ApiClient.asAdmin().awaitCdr(customerCallId);
    }

    @Test
    @Tag("IC-TAG")
    void answeredCallWithALongXTagInTheInvite() throws Exception {
        String xTag = "campaign-2026-11-black-friday-leads-0042"; // 40 characters
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.CUSTOMER_PBX)) {
            String text = invite(pbx, DIALLED, "X-Tag: " + xTag + "\r\n", OFFER);
            SipMessage sent = parsed(text);
            pbx.send(text);
            SipMessage atCarrier = awaitInvite(carrier);
            answerAndHangUp(pbx, sent, carrier, atCarrier, "X-Tag: from-the-carrier\r\n");

            JsonObject cdr = cdrOf(sent.header("Call-ID").orElseThrow());
            assertEquals(xTag.substring(0, 32), cdr.getString("xTag"), "IC-TAG: first 32 characters, the INVITE's wins");
            assertEquals(atCarrier.header("Call-ID").orElseThrow(), cdr.getString("carrierCallId"));
            assertEquals("outbound", cdr.getString("direction"));
            assertEquals(customerId, cdr.getJsonNumber("customerId").longValue());
            assertTrue(cdr.getJsonNumber("carrierId").longValue() > 0);
            assertEquals("+12065550100", cdr.getString("caller"));
            assertEquals(CALLED, cdr.getString("callee"));
            assertEquals(200, cdr.getInt("sipStatus"));
            assertEquals("caller_bye", cdr.getString("disconnectCause"));
            assertEquals("PCMU", cdr.getString("codec"));
            assertNotNull(cdr.getString("answer", null));
            assertNotNull(cdr.getString("end", null));
        }
    }

    @Test
    @Tag("IC-TAG")
    void xTagFromTheAnswerWhenTheInviteHadNoneAndCalleeHangsUp() throws Exception {
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.CUSTOMER_PBX)) {
            String text = invite(pbx, DIALLED, "", OFFER);
            SipMessage sent = parsed(text);
            pbx.send(text);
            SipMessage atCarrier = awaitInvite(carrier);
            carrier.send(atCarrier.response(200, "OK", "t1", "Contact: <sip:gw@127.0.0.3:15060>\r\nX-Tag: answer-tag\r\n",
                    OutboundCallIT.ANSWER));
            SipMessage ok = pbx.await(m -> m.isResponse() && m.status() == 200, WAIT);
            pbx.send(new org.opentrunk.testing.Dialog(pbx, sent, ok).ack());
            carrier.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);
            // The carrier hangs up: BYE in its dialog, towards the trunk's Contact.
            String contact = atCarrier.contactUri();
            carrier.send("BYE " + contact + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.3:15060;branch=z9hG4bKbye" + System.nanoTime()
                    + "\r\nMax-Forwards: 70\r\nFrom: " + atCarrier.header("To").orElseThrow() + ";tag=t1\r\nTo: "
                    + atCarrier.header("From").orElseThrow() + "\r\nCall-ID: " + atCarrier.header("Call-ID").orElseThrow()
                    + "\r\nCSeq: 1 BYE\r\nContent-Length: 0\r\n\r\n");
            SipMessage bye = pbx.await(m -> !m.isResponse() && "BYE".equals(m.method()), WAIT);
            pbx.send(bye.response(200, "OK", null, "", ""));

            JsonObject cdr = cdrOf(sent.header("Call-ID").orElseThrow());
            assertEquals("answer-tag", cdr.getString("xTag"));
            assertEquals("callee_bye", cdr.getString("disconnectCause"));
        }
    }

    @Test
    void busyCancelledAndRefusedCallsEachLeaveOne() throws Exception {
        try (SipTestClient pbx = pbx(Transport.UDP, TestNet.CUSTOMER_PBX)) {
            String busy = invite(pbx, DIALLED, "", OFFER);
            pbx.send(busy);
            SipMessage atCarrier = awaitInvite(carrier);
            carrier.send(atCarrier.response(486, "Busy Here", "b1", "", ""));
            assertEquals(486, pbx.finalResponse(WAIT).status());
            JsonObject cdr = cdrOf(parsed(busy).header("Call-ID").orElseThrow());
            assertEquals(486, cdr.getInt("sipStatus"));
            assertEquals("rejected", cdr.getString("disconnectCause"));
            assertNull(cdr.getString("answer", null));

            String tooShort = invite(pbx, TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*+1206", "X-Tag: short\r\n", OFFER);
            assertEquals(484, pbx.request(tooShort, WAIT).status());
            JsonObject refused = cdrOf(parsed(tooShort).header("Call-ID").orElseThrow());
            assertEquals(484, refused.getInt("sipStatus"));
            assertEquals("refused", refused.getString("disconnectCause"));
            assertEquals("short", refused.getString("xTag"));
        }
    }
}
