package org.opentrunk.core.routing.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.config.Transport;
import org.opentrunk.testing.Dnsmasq;

/** {@link SipTargetResolver} against a real DNS server: dnsmasq with the records of each case. */
class SipTargetResolverDnsmasqTest {

    private static Dnsmasq dns;

    @BeforeAll
    static void startDns() throws Exception {
        dns = Dnsmasq.builder()
                // srv.test: two targets sharing priority 10 by weight 60/40, one of them with two
                // A records, a weight-0 backup at priority 20, and one TCP target
                .srv("_sip._udp.srv.test", "pbx1.srv.test", 5070, 10, 60)
                .srv("_sip._udp.srv.test", "pbx2.srv.test", 5080, 10, 40)
                .srv("_sip._udp.srv.test", "backup.srv.test", 5090, 20, 0)
                .srv("_sip._tcp.srv.test", "pbx1.srv.test", 5071, 10, 1)
                .a("pbx1.srv.test", "127.0.0.11")
                .a("pbx2.srv.test", "127.0.0.12")
                .a("pbx2.srv.test", "127.0.0.13")
                .a("backup.srv.test", "127.0.0.14")
                // naptr.test: TLS first (IC-TLS), then TCP preferred (lower order) over UDP
                .naptr("naptr.test", 5, 10, "s", "SIPS+D2T", "", "_sips._tcp.naptr.test")
                .naptr("naptr.test", 20, 10, "s", "SIP+D2U", "", "_sip._udp.naptr.test")
                .naptr("naptr.test", 10, 50, "s", "SIP+D2T", "", "_sip._tcp.naptr.test")
                .srv("_sips._tcp.naptr.test", "edge.naptr.test", 5061, 0, 0)
                .srv("_sip._tcp.naptr.test", "edge.naptr.test", 5062, 0, 0)
                .srv("_sip._udp.naptr.test", "edge.naptr.test", 5060, 0, 0)
                .a("edge.naptr.test", "127.0.0.21")
                // nonaptr.test: SRV only, over TCP
                .srv("_sip._tcp.nonaptr.test", "sbc.nonaptr.test", 5080, 0, 0)
                .a("sbc.nonaptr.test", "127.0.0.31")
                // aonly.test: neither NAPTR nor SRV
                .a("aonly.test", "127.0.0.41")
                .start();
    }

    @AfterAll
    static void stopDns() throws Exception {
        if (dns != null) {
            dns.close();
        }
    }

    private static SipTargetResolver resolver(long seed) {
        return new SipTargetResolver(dns.server(), SipTargetResolver.DEFAULT_QUERY_TIMEOUT, new Random(seed));
    }

    private static List<String> places(List<ResolvedTarget> targets) {
        return targets.stream().map(t -> t.address() + ":" + t.port() + "/" + t.transport()).toList();
    }

    @Test
    @Tag("IC-ROUTE")
    void srvTargetsInPriorityOrderUdpBeforeTcpEachAddressInTurn() throws Exception {
        List<ResolvedTarget> targets = resolver(1).resolveSrv("srv.test");
        List<String> places = places(targets);
        assertEquals(5, places.size(), places.toString());
        assertTrue(places.subList(0, 3).containsAll(
                List.of("127.0.0.11:5070/UDP", "127.0.0.12:5080/UDP", "127.0.0.13:5080/UDP")), places.toString());
        int distance = places.indexOf("127.0.0.12:5080/UDP") - places.indexOf("127.0.0.13:5080/UDP");
        assertEquals(1, Math.abs(distance), "the A records of one SRV target follow each other: " + places);
        assertEquals(List.of("127.0.0.14:5090/UDP", "127.0.0.11:5071/TCP"), places.subList(3, 5));
        assertEquals("srv _sip._udp.srv.test -> backup.srv.test:5090", targets.get(3).origin());
        assertEquals("srv _sip._tcp.srv.test -> pbx1.srv.test:5071", targets.get(4).origin());
    }

    @Test
    @Tag("IC-ROUTE")
    void weightsShareTheFirstAttemptAcrossResolutionsThoughTheRecordsAreCached() throws Exception {
        SipTargetResolver resolver = resolver(42);
        int resolutions = 2000;
        int pbx1First = 0;
        for (int i = 0; i < resolutions; i++) {
            if (resolver.resolveSrv("srv.test").get(0).address().equals("127.0.0.11")) {
                pbx1First++;
            }
        }
        double share = pbx1First / (double) resolutions;
        assertTrue(Math.abs(share - 0.6) < 0.05, "weight 60 of 100 first in about 60% of calls: " + share);
        long srvQueries = dns.log().lines().filter(l -> l.contains("[SRV] _sip._udp.srv.test ")).count();
        assertTrue(srvQueries <= 2, "the SRV records come from the cache within their TTL: " + srvQueries + " queries");
    }

    @Test
    @Tag("IC-ROUTE")
    void naptrLeadsToSrvThenA() throws Exception {
        List<ResolvedTarget> targets = resolver(1).resolveNaptr("naptr.test");
        assertEquals(List.of(
                new ResolvedTarget("127.0.0.21", 5061, Transport.TLS,
                        "naptr naptr.test SIPS+D2T -> srv _sips._tcp.naptr.test -> edge.naptr.test:5061"),
                new ResolvedTarget("127.0.0.21", 5062, Transport.TCP,
                        "naptr naptr.test SIP+D2T -> srv _sip._tcp.naptr.test -> edge.naptr.test:5062"),
                new ResolvedTarget("127.0.0.21", 5060, Transport.UDP,
                        "naptr naptr.test SIP+D2U -> srv _sip._udp.naptr.test -> edge.naptr.test:5060")), targets);
    }

    @Test
    @Tag("IC-ROUTE")
    void withoutNaptrTheSrvRecordsAreUsed() throws Exception {
        List<ResolvedTarget> targets = resolver(1).resolveNaptr("nonaptr.test.");
        assertEquals(List.of(new ResolvedTarget("127.0.0.31", 5080, Transport.TCP,
                "srv _sip._tcp.nonaptr.test -> sbc.nonaptr.test:5080")), targets);
        assertEquals(places(targets), places(resolver(1).resolveSrv("nonaptr.test")));
    }

    @Test
    @Tag("IC-ROUTE")
    void withoutNaptrAndSrvTheDomainsOwnAddressOnPort5060Udp() throws Exception {
        assertEquals(List.of(new ResolvedTarget("127.0.0.41", 5060, Transport.UDP, "a aonly.test:5060")),
                resolver(1).resolveNaptr("aonly.test"));
        assertEquals(List.of(), resolver(1).resolveSrv("aonly.test"), "an srv route has no A fallback");
    }

    @Test
    void unknownDomainHasNoTargets() throws Exception {
        SipTargetResolver resolver = resolver(1);
        assertEquals(List.of(), resolver.resolveNaptr("nothere.test"));
        assertEquals(List.of(), resolver.resolveSrv("nothere.test"));
        assertEquals(List.of(), resolver.resolveNaptr("nothere.test"), "again, from the negative cache or not");
    }

    @Test
    void noSuchNameIsCachedToo() throws Exception {
        SipTargetResolver resolver = resolver(1);
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(), resolver.resolveNaptr("gone.test"));
        }
        long naptrQueries = dns.log().lines().filter(l -> l.contains("[NAPTR] gone.test ")).count();
        assertEquals(1, naptrQueries, "NXDOMAIN with the zone's SOA is cached (RFC 2308)");
    }

    @Test
    void anErrorAnswerIsAServerFailure() {
        // dnsmasq forwards nothing and refuses names outside the zones it serves
        DnsResolutionException e = assertThrows(DnsResolutionException.class,
                () -> resolver(1).resolveNaptr("elsewhere.invalid"));
        assertEquals(DnsResolutionException.Failure.SERVER_FAILURE, e.failure(), e.getMessage());
    }

    @Test
    void invalidDomainIsRefusedWithoutAsking() {
        DnsResolutionException e = assertThrows(DnsResolutionException.class,
                () -> resolver(1).resolveSrv("a..b"));
        assertEquals(DnsResolutionException.Failure.INVALID_NAME, e.failure());
    }

    @Test
    void silentServerIsANoAnswerErrorWithinTheBound() throws Exception {
        Duration timeout = Duration.ofMillis(300);
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            SipTargetResolver resolver = new SipTargetResolver("127.0.0.1:" + silent.getLocalPort(), timeout);
            long start = System.nanoTime();
            DnsResolutionException e = assertThrows(DnsResolutionException.class,
                    () -> resolver.resolveNaptr("naptr.test"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(DnsResolutionException.Failure.NO_ANSWER, e.failure(), e.getMessage());
            // one query's timeout, plus at most the I/O thread's one-second timeout check
            assertTrue(took.compareTo(timeout.plusSeconds(2)) < 0, "gave up after " + took);

            ExecutorService executor = Executors.newSingleThreadExecutor();
            try {
                ExecutionException async = assertThrows(ExecutionException.class,
                        () -> resolver.resolveSrvAsync("srv.test", executor).get(5, TimeUnit.SECONDS));
                DnsResolutionException cause = assertInstanceOf(DnsResolutionException.class, async.getCause());
                assertEquals(DnsResolutionException.Failure.NO_ANSWER, cause.failure());
            } finally {
                executor.shutdownNow();
            }
        }
    }

    @Test
    @Tag("IC-ROUTE")
    void asyncFormGivesTheSameTargets() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            assertEquals(resolver(1).resolveNaptr("naptr.test"),
                    resolver(1).resolveNaptrAsync("naptr.test", executor).get(5, TimeUnit.SECONDS));
        } finally {
            executor.shutdownNow();
        }
    }
}
