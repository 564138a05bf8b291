package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrunk.testing.Kamailio;
import org.opentrunk.testing.Sipp;
import org.opentrunk.testing.TestNet;
import org.opentrunk.testing.TestNetProvisioning;
import org.opentrunk.testing.TrunkUnderTest;

/**
 * IC-INTEROP behind a customer's SIP front: an office PBX (SIPp on 127.0.0.6) calls through the
 * customer's Kamailio on 127.0.0.2, which forwards over TCP to OpenTrunk with the tech prefix
 * (IP authentication: 127.0.0.2 is the customer's address) and record-routes, so that ACK and BYE
 * go the same way; the carrier (SIPp on 127.0.0.3) answers, and the caller hangs up.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("IC-INTEROP")
class KamailioFrontIT {

    static final int PROXY_PORT = 5070;
    /** A PBX of the customer's, behind its proxy. */
    static final String OFFICE_PBX = "127.0.0.6";
    static final Duration LIMIT = Duration.ofSeconds(30);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    @Test
    void aCallThroughTheCustomersKamailioIsAnsweredAndHungUp() throws Exception {
        TestNetProvisioning.ensure();
        try (Kamailio proxy = Kamailio.start("front", TestNet.CUSTOMER_PBX, PROXY_PORT,
                TestNetProvisioning.CUSTOMER_TECH_PREFIX, TestNet.TRUNK_DOMAIN, TestNet.trunkHostPort())) {
            Sipp carrier = Sipp.scenario("kamailio-carrier", "uas-answers.xml").bind(TestNet.CARRIER, TestNet.CARRIER_PORT)
                    .udp().calls(1, 1, 1).timeout(LIMIT).start(null);
            Sipp.Result office = Sipp.scenario("kamailio-office", "uac-via-proxy-caller-hangs-up.xml").bind(OFFICE_PBX)
                    .udp().dialing("+12066418000").calls(1, 1, 1).callLength(Duration.ofSeconds(1)).timeout(LIMIT)
                    .start(TestNet.CUSTOMER_PBX + ":" + PROXY_PORT).await(LIMIT.plusSeconds(10));
            Sipp.Result gateway = carrier.await(Duration.ofSeconds(15));
            assertEquals(1, office.successfulCalls(), () -> office + "; kamailio log: " + proxy.log());
            assertEquals(0, office.exitCode(), office::toString);
            assertEquals(1, gateway.successfulCalls(), () -> gateway + "; kamailio log: " + proxy.log());
        }
    }
}
