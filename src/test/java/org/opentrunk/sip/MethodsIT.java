package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.TestNet;
import org.opentrunk.testing.TrunkUnderTest;

/** IC-METHODS: what OpenTrunk answers to each method, over UDP and TCP. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("IC-METHODS")
class MethodsIT {

    private static final String ALLOW = "INVITE, ACK, CANCEL, BYE, REGISTER, OPTIONS";
    private static final Duration ANSWER = Duration.ofSeconds(5);
    /**
     * IC-METHODS' unsupported methods that can stand outside a dialog. PRACK and UPDATE only exist
     * inside a dialog: outside one the container answers 481 (RFC 3262, RFC 3311), inside one
     * OpenTrunk answers 405 (CallPathIT).
     */
    private static final List<String> UNSUPPORTED =
            List.of("SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    private static SipTestClient client(Transport transport) {
        return new SipTestClient(transport, TestNet.CUSTOMER_PBX,
                SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT));
    }

    private static String trunkUri() {
        return "sip:" + TestNet.TRUNK_DOMAIN;
    }

    @Test
    void optionsOverUdpAnswers200WithCapabilities() throws Exception {
        assertOptionsCapabilities(Transport.UDP);
    }

    @Test
    void optionsOverTcpAnswers200WithCapabilities() throws Exception {
        assertOptionsCapabilities(Transport.TCP);
    }

    private void assertOptionsCapabilities(Transport transport) throws Exception {
        try (SipTestClient pbx = client(transport)) {
            SipMessage answer = pbx.request(pbx.newRequest("OPTIONS", trunkUri(), "Accept: application/sdp\r\n", ""), ANSWER);
            assertEquals(200, answer.status(), answer::toString);
            assertEquals(ALLOW, answer.header("Allow").orElse(""), answer::toString);
            assertEquals("application/sdp", answer.header("Accept").orElse(""), answer::toString);
            assertEquals("timer", answer.header("Supported").orElse(""), answer::toString);
        }
    }

    @Test
    void unsupportedMethodsOverUdpAnswer405WithAllow() throws Exception {
        assertUnsupportedRefused(Transport.UDP);
    }

    @Test
    void unsupportedMethodsOverTcpAnswer405WithAllow() throws Exception {
        assertUnsupportedRefused(Transport.TCP);
    }

    private void assertUnsupportedRefused(Transport transport) throws Exception {
        List<String> wrong = new ArrayList<>();
        try (SipTestClient pbx = client(transport)) {
            for (String method : UNSUPPORTED) {
                String headers = switch (method) {
                    case "REFER" -> "Refer-To: <sip:+12065550111@" + TestNet.TRUNK_DOMAIN + ">\r\n";
                    case "SUBSCRIBE", "NOTIFY" -> "Event: dialog\r\nSubscription-State: active\r\n";
                    default -> "";
                };
                SipMessage answer = pbx.request(pbx.newRequest(method, trunkUri(), headers, ""), ANSWER);
                if (answer.status() != 405 || !ALLOW.equals(answer.header("Allow").orElse(""))) {
                    wrong.add(method + " -> " + answer.startLine() + " Allow: " + answer.header("Allow").orElse("-"));
                }
            }
            assertTrue(wrong.isEmpty(), () -> "expected 405 with Allow, got: " + wrong);
            // A method nobody defined is not in the application router's table (dar.properties):
            // the container answers it with sipNoRouteErrorCode, 503, without involving OpenTrunk.
            SipMessage unknown = pbx.request(pbx.newRequest("FOOBAR", trunkUri(), "", ""), ANSWER);
            assertEquals(503, unknown.status(), unknown::toString);
            // ... and the server still answers afterwards.
            assertEquals(200, pbx.request(pbx.newRequest("OPTIONS", trunkUri(), "", ""), ANSWER).status());
        }
    }

    @Test
    void prackAndUpdateOutsideADialogAre481() throws Exception {
        try (SipTestClient pbx = client(Transport.UDP)) {
            for (String method : List.of("PRACK", "UPDATE")) {
                SipMessage answer = pbx.request(pbx.newRequest(method, trunkUri(), "RAck: 1 1 INVITE\r\n", ""), ANSWER);
                assertEquals(481, answer.status(), answer::toString);
            }
        }
    }

    @Test
    void registerIsChallengedByTheRegistrar() throws Exception {
        try (SipTestClient pbx = client(Transport.UDP)) {
            SipMessage answer = pbx.request(pbx.newRequest("REGISTER", trunkUri(), "Expires: 3600\r\n", ""), ANSWER);
            assertEquals(401, answer.status(), answer::toString);
            assertTrue(answer.header("WWW-Authenticate").isPresent(), answer::toString);
        }
    }
}
