package org.opentrunk.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.limits.AdmissionGuard;
import org.opentrunk.core.limits.AuthFailureGuard;
import org.opentrunk.testing.AddressFlood;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.PrometheusText;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.Sipp;

/**
 * Floods from many addresses (issue 25) on a server of its own: REGISTER, OPTIONS and INVITE from
 * {@value #ADDRESSES} source addresses (127.3.x.y), then 16 KiB garbage datagrams as fast as one
 * sender thread can push them, while a customer's PBX (SIPp) places calls at a steady rate through
 * the trunk to a carrier (SIPp). Every admitted call completes; the trunk answers a new
 * OPTIONS within seconds after the flood; the per-source memory stays within its bounds.
 */
class ManyAddressFloodIT {

    private static final String TRUNK = "127.0.0.191";
    private static final int SIP_PORT = 21090;
    private static final int HTTP_PORT = 17070;
    private static final String PASSWORD = "flood-it-secret";
    private static final String DOMAIN = "floods.test";
    private static final String CUSTOMER = "127.0.0.192";
    private static final String CARRIER = "127.0.0.193";
    private static final int CARRIER_PORT = 21091;
    private static final String PROBE = "127.0.0.194";
    private static final String PREFIX = "19119119";
    private static final int ADDRESSES = 10_000;
    /**
     * Messages per second of the signalling flood. On the shared 2-core test machine the SIP
     * container's own overload control starts answering 503 to everyone, customers included, at
     * about 2,000 unauthenticated messages a second (docs/security.md, "Floods from many addresses").
     */
    private static final int FLOOD_RATE = 1_000;
    private static final int GARBAGE_BYTES = 16 * 1024;
    private static final Duration GARBAGE_FOR = Duration.ofSeconds(5);
    private static final long GARBAGE_MAX = 2_000_000;
    /** The PBX's steady rate and its number of calls: they span the flood and some seconds after. */
    private static final int CALLS_PER_SECOND = 4;
    private static final int CALLS = 60;
    /** After the flood ends, the trunk answers again within this. */
    private static final Duration RECOVERY = Duration.ofSeconds(10);

    @Test
    void callsCompleteThroughAFloodFromTenThousandAddresses() throws Exception {
        LibertyServer server = LibertyServer.trunk("itfldB", TRUNK, SIP_PORT, HTTP_PORT, PASSWORD, DOMAIN,
                "OT_LADDER_CALLS", "100", "OT_FRAUD_GUARD_CALLS_PER_MINUTE", "100000");
        server.start();
        Sipp carrier = null;
        Sipp pbx = null;
        try {
            ApiClient api = ApiClient.asAdmin(HTTP_PORT, PASSWORD);
            api.awaitUp(Duration.ofSeconds(90));
            assertEquals(201, api.post("/api/v1/carriers", "{\"name\":\"gw\",\"host\":\"" + CARRIER + "\",\"port\":"
                    + CARRIER_PORT + "}").status());
            ApiClient.Reply customer = api.post("/api/v1/customers", "{\"name\":\"Steady PBX\",\"techPrefix\":\"" + PREFIX
                    + "\",\"ips\":[\"" + CUSTOMER + "\"],\"maxChannels\":100,\"maxCps\":100}");
            assertEquals(201, customer.status(), customer::toString);
            long sessionsBefore = gauge(api, "opentrunk_sip_application_sessions");

            carrier = Sipp.scenario("flood-carrier", "uas-answers.xml").bind(CARRIER, CARRIER_PORT).udp()
                    .calls(CALLS, 100, CALLS).timeout(Duration.ofSeconds(120)).start(null);
            pbx = Sipp.scenario("flood-customer", "uac-caller-hangs-up.xml").bind(CUSTOMER).udp()
                    .dialing(PREFIX + "*+12066418000").calls(CALLS, CALLS_PER_SECOND, CALLS).callLength(Duration.ofMillis(500))
                    .timeout(Duration.ofSeconds(100)).start(TRUNK + ":" + SIP_PORT);

            AddressFlood flood = new AddressFlood(new InetSocketAddress(TRUNK, SIP_PORT), DOMAIN);
            Thread.sleep(2_000); // the PBX's first calls before the flood: a baseline in its statistics
            AddressFlood.Sent sent = flood.signalling(ADDRESSES, FLOOD_RATE, Duration.ofSeconds(30));
            System.out.println("flood: signalling " + sent + "; answers counted " + flood.answers()
                    + " (counted while each source socket was open, about three seconds)");
            assertEquals(ADDRESSES, sent.addresses(), "the whole flood was sent");
            assertTrue(flood.answered() >= ADDRESSES / 2, "the flood reached OpenTrunk and was answered: " + flood.answers());
            AddressFlood.Sent garbage = flood.garbage(100, GARBAGE_BYTES, GARBAGE_FOR, GARBAGE_MAX);
            long floodEnded = System.nanoTime();
            System.out.println("flood: garbage " + garbage);

            Duration recovered = answersAgain(floodEnded);
            System.out.println("flood: the trunk answered an OPTIONS " + recovered.toMillis() + " ms after the flood ended");
            assertTrue(recovered.compareTo(RECOVERY) < 0, "the trunk answers again within " + RECOVERY + ": " + recovered);

            Sipp.Result calls = pbx.await(Duration.ofSeconds(100));
            Sipp.Result carried = carrier.await(Duration.ofSeconds(20));
            System.out.println("flood: customer " + calls + "; carrier " + carried);
            // A call the container turned away at once (its own overload control: a bare 503) was
            // never admitted; every admitted one must complete, and most must get through at all.
            long turnedAway = refusedWith503();
            System.out.println("flood: " + turnedAway + " of the PBX's calls were turned away with 503 by the container's overload control");
            assertEquals(CALLS, calls.successfulCalls() + turnedAway, () -> "every admitted call completes: " + calls);
            assertTrue(calls.successfulCalls() >= CALLS * 9 / 10, () -> "most calls get through the flood: " + calls);

            long sources = gauge(api, "opentrunk_admission_tracked_sources");
            long counted = gauge(api, "opentrunk_auth_tracked_addresses");
            long bindings = gauge(api, "opentrunk_registrar_bindings");
            System.out.printf("flood: per-source memory after it: %d admission buckets, %d failure counters, %d registrations%n",
                    sources, counted, bindings);
            assertTrue(sources <= AdmissionGuard.MAX_TRACKED_SOURCES, "admission buckets bounded: " + sources);
            assertTrue(counted <= AuthFailureGuard.MAX_TRACKED_ADDRESSES, "failure counters bounded: " + counted);
            assertEquals(0, bindings, "no unauthenticated REGISTER is bound");
            // the container's sessions of the flood end with their transactions (64*T1 = 32 s)
            long started = System.nanoTime();
            org.awaitility.Awaitility.await("the flood's SIP sessions end").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> gauge(api, "opentrunk_sip_application_sessions") <= sessionsBefore + 5);
            System.out.printf("flood: SIP application sessions back to %d within %d s%n", sessionsBefore,
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
        } finally {
            if (pbx != null) {
                pbx.stop();
            }
            if (carrier != null) {
                carrier.stop();
            }
            server.stopQuietly();
        }
    }

    /** Calls of the PBX that ended with a 503 to their INVITE (from SIPp's error log: one "Aborting" line each). */
    private static long refusedWith503() throws java.io.IOException {
        java.nio.file.Path errors = Sipp.OUTPUT.resolve("flood-customer-errors.log");
        if (!java.nio.file.Files.exists(errors)) {
            return 0;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Aborting call on unexpected message for Call-Id '([^']+)'"
                + "[^\\n]*received 'SIP/2\\.0 503 ").matcher(java.nio.file.Files.readString(errors, java.nio.charset.StandardCharsets.ISO_8859_1));
        java.util.Set<String> calls = new java.util.HashSet<>();
        while (m.find()) {
            calls.add(m.group(1));
        }
        return calls.size();
    }

    /** How long after {@code since} an OPTIONS from a new address is answered (polling once a second). */
    private static Duration answersAgain(long since) throws Exception {
        long deadline = System.nanoTime() + RECOVERY.multipliedBy(3).toNanos();
        while (System.nanoTime() < deadline) {
            try (SipTestClient probe = new SipTestClient(Transport.UDP, PROBE,
                    SipTestClient.address(TRUNK, SIP_PORT))) {
                probe.send(probe.newRequest("OPTIONS", "sip:" + DOMAIN, "", ""));
                Optional<SipMessage> answer = probe.receive(Duration.ofSeconds(1));
                if (answer.isPresent() && answer.get().isResponse() && answer.get().status() == 200) {
                    return Duration.ofNanos(System.nanoTime() - since);
                }
            }
        }
        return Duration.ofNanos(System.nanoTime() - since);
    }

    private static long gauge(ApiClient api, String name) throws Exception {
        ApiClient.Reply metrics = api.get("/metrics");
        assertEquals(200, metrics.status());
        return (long) PrometheusText.parse(metrics.body()).get(name).value(java.util.Map.of());
    }
}
