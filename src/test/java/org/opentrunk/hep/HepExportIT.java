package org.opentrunk.hep;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.HepPacket;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.Sipp;

/**
 * The HEPv3 export (issue 26) as a Homer collector sees it: a node with {@code OT_HEP_ADDRESS}
 * pointing at a UDP listener of this test; a SIPp PBX calls through it to a SIPp carrier. Every
 * datagram must decode as HEPv3 (decoded by the test's own {@link HepPacket}, not OpenTrunk's
 * encoder), and both legs' INVITE, 200, ACK, BYE and 200 arrive, each with the right addresses and
 * ports in the right direction, the capture id, SIP as protocol type, and the leg's Call-ID as the
 * correlation id; /metrics counts them as sent.
 */
class HepExportIT {

    private static final String SIP_HOST = "127.0.0.181";
    private static final int SIP_PORT = 20990;
    private static final int HTTP_PORT = 16970;
    private static final String PASSWORD = "hep-it-secret";
    private static final String DOMAIN = "hep.test";
    private static final String PBX = "127.0.0.182";
    private static final String CARRIER = "127.0.0.183";
    private static final int CARRIER_PORT = 20991;
    private static final String COLLECTOR = "127.0.0.184";
    private static final int COLLECTOR_PORT = 20992;
    private static final int CAPTURE_ID = 4242;
    private static final String PREFIX = "18218218";
    private static final List<String> LADDER = List.of("INVITE", "200 INVITE", "ACK", "BYE", "200 BYE");
    private static final Pattern CALL_ID = Pattern.compile("(?im)^(?:Call-ID|i)\\s*:\\s*(\\S+)\\s*$");
    private static final Pattern CSEQ = Pattern.compile("(?im)^CSeq\\s*:\\s*\\d+\\s+(\\S+)\\s*$");

    @Test
    void bothLegsOfACallReachTheCollectorAsHepV3() throws Exception {
        List<HepPacket> packets = new CopyOnWriteArrayList<>();
        List<String> undecodable = new CopyOnWriteArrayList<>();
        try (DatagramSocket collector = new DatagramSocket(COLLECTOR_PORT, InetAddress.getByName(COLLECTOR))) {
            collector.setSoTimeout(200);
            Thread listener = new Thread(() -> listen(collector, packets, undecodable), "hep-collector");
            listener.setDaemon(true);
            listener.start();
            LibertyServer server = LibertyServer.trunk("hep-it", SIP_HOST, SIP_PORT, HTTP_PORT, PASSWORD, DOMAIN,
                    "OT_HEP_ADDRESS", COLLECTOR + ":" + COLLECTOR_PORT, "OT_HEP_ID", String.valueOf(CAPTURE_ID));
            server.start();
            try {
                ApiClient api = ApiClient.asAdmin(HTTP_PORT, PASSWORD).awaitUp(Duration.ofSeconds(90));
                assertEquals(201, api.post("/api/v1/carriers", "{\"name\":\"gw\",\"host\":\"" + CARRIER + "\",\"port\":"
                        + CARRIER_PORT + "}").status());
                ApiClient.Reply customer = api.post("/api/v1/customers", "{\"name\":\"HEP PBX\",\"techPrefix\":\"" + PREFIX
                        + "\",\"ips\":[\"" + PBX + "\"]}");
                assertEquals(201, customer.status(), customer::toString);

                long before = System.currentTimeMillis();
                Sipp carrier = Sipp.scenario("hep-carrier", "uas-answers.xml").bind(CARRIER, CARRIER_PORT).udp()
                        .calls(1, 1, 1).timeout(Duration.ofSeconds(30)).start(null);
                Sipp.Result call;
                Sipp.Result answered;
                try {
                    call = Sipp.scenario("hep-pbx", "uac-caller-hangs-up.xml").bind(PBX).udp()
                            .dialing(PREFIX + "*+12066418182").calls(1, 1, 1).callLength(Duration.ofMillis(200))
                            .timeout(Duration.ofSeconds(30)).start(SIP_HOST + ":" + SIP_PORT).await(Duration.ofSeconds(40));
                } finally {
                    answered = carrier.await(Duration.ofSeconds(10)); // its 200 to our BYE sent: it ends by itself
                }
                assertEquals(1, call.successfulCalls(), call::toString);
                assertEquals(1, answered.successfulCalls(), answered::toString);
                long after = System.currentTimeMillis();

                try {
                    await("both legs' ladders at the collector").atMost(Duration.ofSeconds(10))
                            .until(() -> byLeg(packets).values().stream().filter(l -> l.containsAll(LADDER)).count() == 2);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("at the collector: " + byLeg(packets) + "; undecodable " + undecodable, e);
                }
                assertEquals(List.of(), undecodable, "every datagram is HEPv3");

                int checked = 0;
                for (HepPacket p : packets) {
                    assertEquals(2, p.uint(1), "IPv4");
                    assertEquals(17, p.uint(2), "UDP");
                    assertEquals(1, p.uint(11), "SIP");
                    assertEquals(CAPTURE_ID, p.uint(12));
                    String payload = p.text(15);
                    Matcher id = CALL_ID.matcher(payload);
                    assertTrue(id.find(), payload);
                    assertEquals(id.group(1), p.text(17), "the correlation id is the message's Call-ID");
                    long ms = p.uint32(9) * 1000 + p.uint(10) / 1000;
                    assertTrue(ms >= before - 1000 && ms <= after + 1000, "time " + ms + " within the call");
                    assertTrue(p.uint(10) < 1_000_000, "microseconds under a second");

                    String route = p.route();
                    boolean customerSide = route.startsWith(PBX + ":") || route.contains("> " + PBX + ":");
                    boolean fromUs = route.startsWith(SIP_HOST + ":" + SIP_PORT + " > ");
                    boolean toUs = route.endsWith(" > " + SIP_HOST + ":" + SIP_PORT);
                    assertTrue(fromUs ^ toUs, "OpenTrunk on exactly one side: " + route + " " + p.firstLine());
                    String peer = fromUs ? route.substring(route.indexOf("> ") + 2) : route.substring(0, route.indexOf(" >"));
                    if (customerSide) {
                        assertTrue(peer.startsWith(PBX + ":") && !peer.endsWith(":0"), route);
                    } else {
                        assertEquals(CARRIER + ":" + CARRIER_PORT, peer, route + " " + p.firstLine());
                    }
                    checked++;
                }
                assertTrue(checked >= 2 * LADDER.size(), "checked " + checked);
                // direction per message: the caller's INVITE comes to us, ours goes to the carrier
                assertDirection(packets, "INVITE", PBX, true);
                assertDirection(packets, "INVITE", CARRIER, false);
                assertDirection(packets, "200 INVITE", CARRIER, true);
                assertDirection(packets, "200 INVITE", PBX, false);
                assertDirection(packets, "BYE", PBX, true);
                assertDirection(packets, "BYE", CARRIER, false);

                String metrics = api.get("/metrics").body();
                Matcher sent = Pattern.compile("(?m)^opentrunk_hep_messages_total\\{state=\"sent\"} (\\S+)$").matcher(metrics);
                assertTrue(sent.find(), metrics);
                assertTrue(Double.parseDouble(sent.group(1)) >= packets.size(), metrics);
                assertTrue(metrics.contains("opentrunk_hep_messages_total{state=\"dropped\"} 0.0"), metrics);
                System.out.println("HEP: " + packets.size() + " packets, legs " + byLeg(packets));
            } finally {
                server.stop();
                listener.interrupt();
            }
        }
    }

    private static void assertDirection(List<HepPacket> packets, String kind, String peer, boolean towardsUs) {
        String expected = towardsUs ? "from " + peer : "to " + peer;
        assertTrue(packets.stream().anyMatch(p -> kind(p).equals(kind)
                        && (towardsUs ? p.route().startsWith(peer + ":") && p.route().endsWith("> " + SIP_HOST + ":" + SIP_PORT)
                                      : p.route().startsWith(SIP_HOST + ":" + SIP_PORT + " > " + peer + ":"))),
                kind + " " + expected + " in " + packets.stream().map(p -> kind(p) + " " + p.route()).toList());
    }

    /** "INVITE", "BYE"... for requests; "200 INVITE" for responses. */
    private static String kind(HepPacket p) {
        String first = p.firstLine();
        if (first.startsWith("SIP/2.0 ")) {
            Matcher cseq = CSEQ.matcher(p.text(15));
            return first.substring(8, 11) + " " + (cseq.find() ? cseq.group(1) : "?");
        }
        return first.substring(0, first.indexOf(' '));
    }

    private static Map<String, List<String>> byLeg(List<HepPacket> packets) {
        Map<String, List<String>> legs = new LinkedHashMap<>();
        for (HepPacket p : packets) {
            legs.computeIfAbsent(p.text(17), k -> new ArrayList<>()).add(kind(p));
        }
        return legs;
    }

    private static void listen(DatagramSocket socket, List<HepPacket> packets, List<String> undecodable) {
        byte[] buffer = new byte[65_535];
        while (!Thread.currentThread().isInterrupted() && !socket.isClosed()) {
            DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(datagram);
                packets.add(HepPacket.decode(buffer.clone(), datagram.getLength()));
            } catch (SocketTimeoutException e) {
                // look at the interrupt flag again
            } catch (RuntimeException e) {
                undecodable.add(e.toString());
            } catch (java.io.IOException e) {
                return;
            }
        }
    }
}
