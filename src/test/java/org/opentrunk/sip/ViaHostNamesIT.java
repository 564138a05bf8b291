package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.TestNet;
import org.opentrunk.testing.TrunkUnderTest;

/**
 * A Via's host is whatever the sender writes there. Requests whose Vias name made-up hosts are
 * answered at once, and nothing in the server looks those names up: with Liberty's security
 * feature on, its SIP container resolved the top two Via hosts of every request on its task
 * threads, and a resolver that did not answer stalled every call (docs/security.md, "Via host
 * names"). The log check makes the test fail even where the resolver fails fast: a failed lookup
 * in the container is logged as CWSCT0056E.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ViaHostNamesIT {

    /** Nobody's address: not a customer, carrier or the stranger other tests get blocked. */
    private static final String SENDER = "127.0.0.11";
    private static final int REQUESTS = 30;
    /** A lookup that happened to fail fast still fits here; one waiting for a silent resolver does not. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);
    /** Liberty's "IPAuthenticator failed, unknown host": the container tried to resolve a Via host. */
    private static final Pattern CONTAINER_LOOKUP_FAILED = Pattern.compile("CWSCT0056E");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    @Test
    void madeUpViaHostNamesAreAnsweredWithoutLookingThemUp() throws Exception {
        long lookupsBefore = containerLookups();
        try (SipTestClient stranger = new SipTestClient(Transport.UDP, SENDER,
                SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT))) {
            for (int i = 0; i < REQUESTS; i++) {
                // .invalid (RFC 6761) never resolves; each name is new, so no cache answers it
                String host = "via-" + i + "-" + UUID.randomUUID().toString().substring(0, 8) + ".opentrunk.invalid";
                String request = stranger.newRequest("OPTIONS", "sip:" + TestNet.TRUNK_DOMAIN, "", "")
                        .replace(SENDER + ":" + stranger.localPort() + ";branch", host + ":5060;branch");
                SipMessage answer = stranger.request(request, ANSWER_WITHIN);
                assertEquals(200, answer.status(), () -> host + ": " + answer);
            }
        }
        assertEquals(lookupsBefore, containerLookups(), "the SIP container looked up Via host names (CWSCT0056E in messages.log)");
    }

    private static long containerLookups() throws Exception {
        Matcher m = CONTAINER_LOOKUP_FAILED.matcher(Files.readString(TrunkUnderTest.messagesLog(), StandardCharsets.ISO_8859_1));
        long n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
