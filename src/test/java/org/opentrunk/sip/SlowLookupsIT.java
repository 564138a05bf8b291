package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;

/**
 * Issue 24, "waits leave the SIP threads": a CNAM provider that accepts connections and never
 * answers. Forty inbound calls from forty different callers each wait for it (IC-CNAM-IN: at most
 * 1 s), all at once; meanwhile a customer's outbound call must reach the carrier as fast as on an
 * idle trunk. When the CNAM wait held a SIP thread, the container's few dispatch threads were all
 * taken by the waiting calls and the outbound INVITE waited behind them for a second or more.
 */
@Tag("IC-CNAM-IN")
class SlowLookupsIT {

    private static final int SIP_PORT = 16060;
    private static final int HTTP_PORT = 20080;
    private static final String PASSWORD = "slow-lookups-it-secret";
    private static final String DOMAIN = "slow.test";
    private static final String CARRIER = "127.0.0.101";
    private static final int CARRIER_PORT = 15060;
    private static final String PBX = "127.0.0.102";
    private static final int PBX_PORT = 15090;
    private static final String CUSTOMER = "127.0.0.103";
    private static final String CNAM = "127.0.0.104";
    private static final String TECH_PREFIX = "10310310";
    private static final String DID = "+12066418201";
    private static final int WAITING_CALLS = 40;
    /**
     * An outbound INVITE reaches the carrier in a few milliseconds on an idle trunk; this bound is
     * far above that and far below the CNAM wait (1 s) it must not sit behind.
     */
    private static final Duration SETUP_BOUND = Duration.ofMillis(400);
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void aCnamProviderThatNeverAnswersDelaysNoOtherCall() throws Exception {
        try (BlackHole provider = new BlackHole(CNAM)) {
            LibertyServer server = LibertyServer.trunk("slow-lookups-it", "127.0.0.1", SIP_PORT, HTTP_PORT, PASSWORD, DOMAIN,
                    "OT_CNAM_URL", "http://" + CNAM + ":" + provider.port() + "/cnam?n={number}");
            server.start();
            try {
                ApiClient api = ApiClient.asAdmin(HTTP_PORT, PASSWORD).awaitUp(Duration.ofSeconds(90));
                ApiClient.Reply customer = api.post("/api/v1/customers", "{\"name\":\"slow\",\"techPrefix\":\"" + TECH_PREFIX
                        + "\",\"ips\":[\"" + CUSTOMER + "\"],\"maxChannels\":100,\"maxCps\":100}");
                assertEquals(201, customer.status(), customer::toString);
                long customerId = customer.json().getJsonNumber("id").longValue();
                assertEquals(201, api.post("/api/v1/carriers", "{\"name\":\"gw\",\"host\":\"" + CARRIER + "\",\"port\":"
                        + CARRIER_PORT + "}").status());
                assertEquals(201, api.post("/api/v1/numbers", "{\"e164\":\"" + DID + "\",\"customerId\":" + customerId
                        + ",\"cnamLookup\":true,\"routes\":[{\"type\":\"host\",\"target\":\"" + PBX + ":" + PBX_PORT
                        + "\",\"priority\":0}]}").status());
                try (SipTestClient carrier = new SipTestClient(Transport.UDP, CARRIER, CARRIER_PORT, trunk());
                     SipTestClient pbx = new SipTestClient(Transport.UDP, PBX, PBX_PORT, trunk());
                     SipTestClient customerPbx = new SipTestClient(Transport.UDP, CUSTOMER, trunk())) {
                    Duration idle = outboundSetup(customerPbx, carrier);

                    // Forty DID calls, each caller a new number: forty lookups the provider never answers.
                    for (int i = 0; i < WAITING_CALLS; i++) {
                        carrier.send(carrier.newRequest("INVITE", "sip:" + DID + "@" + DOMAIN, "", "")
                                .replace("<sip:+12065550100@", "<sip:+120655502" + String.format("%02d", i) + "@"));
                    }
                    Thread.sleep(50); // let them all be dispatched and start their lookups
                    Duration busy = outboundSetup(customerPbx, carrier);
                    assertTrue(busy.compareTo(SETUP_BOUND) < 0, () -> "an outbound call took " + busy.toMillis()
                            + " ms to reach the carrier while " + WAITING_CALLS + " calls waited for CNAM (idle: "
                            + idle.toMillis() + " ms)");
                    assertTrue(provider.connections() > 0, "the provider was asked");

                    // The waiting calls go on without a name once their 1 s is spent.
                    Set<String> delivered = new HashSet<>();
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (delivered.size() < WAITING_CALLS && System.nanoTime() < deadline) {
                        Optional<SipMessage> got = pbx.receive(Duration.ofMillis(100));
                        if (got.isPresent() && !got.get().isResponse() && "INVITE".equals(got.get().method())) {
                            SipMessage invite = got.get();
                            String from = invite.header("From").orElseThrow();
                            assertFalse(from.startsWith("\""), () -> "no name from a provider that never answered: " + from);
                            delivered.add(invite.header("Call-ID").orElseThrow());
                            pbx.send(invite.response(486, "Busy Here", "b" + delivered.size(), "", ""));
                        }
                    }
                    assertEquals(WAITING_CALLS, delivered.size(), "every waiting call reached the PBX");
                }
            } finally {
                server.stop();
            }
        }
    }

    private static java.net.InetSocketAddress trunk() {
        return SipTestClient.address("127.0.0.1", SIP_PORT);
    }

    /** Time from the customer's INVITE to its arrival at the carrier, which then refuses it. */
    private static Duration outboundSetup(SipTestClient customer, SipTestClient carrier) throws Exception {
        String invite = customer.newRequest("INVITE", "sip:" + TECH_PREFIX + "*+12125550199@" + DOMAIN, "", "");
        String callId = SipMessage.parse(invite.getBytes(), invite.length()).header("Call-ID").orElseThrow();
        long sent = System.nanoTime();
        customer.send(invite);
        long deadline = sent + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<SipMessage> got = carrier.receive(Duration.ofMillis(20));
            if (got.isPresent() && !got.get().isResponse() && "INVITE".equals(got.get().method())
                    && got.get().requestUri().startsWith("sip:+12125550199@")) {
                Duration took = Duration.ofNanos(System.nanoTime() - sent);
                carrier.send(got.get().response(486, "Busy Here", "o" + sent, "", ""));
                SipMessage answer = customer.await(m -> m.isResponse() && m.status() >= 200
                        && callId.equals(m.header("Call-ID").orElse("")), WAIT);
                customer.send(SipTestClient.ackFor(SipMessage.parse(invite.getBytes(), invite.length()), answer));
                return took;
            }
        }
        throw new AssertionError("the outbound call never reached the carrier");
    }

    /** An HTTP "server" that accepts connections and never says a word. */
    private static final class BlackHole implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> held = new ArrayList<>();
        private final Thread acceptor;

        BlackHole(String address) throws IOException {
            socket = new ServerSocket(0, 200, InetAddress.getByName(address));
            acceptor = new Thread(() -> {
                try {
                    while (!socket.isClosed()) {
                        Socket accepted = socket.accept();
                        synchronized (held) {
                            held.add(accepted);
                        }
                    }
                } catch (IOException closed) {
                    // closed at the end of the test
                }
            }, "cnam-black-hole");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            synchronized (held) {
                return held.size();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
