package org.opentrunk.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.call.CallSummary;
import org.opentrunk.core.auth.digest.NonceValidity;
import org.opentrunk.core.auth.digest.Nonces;
import org.opentrunk.core.limits.AuthFailureGuard;
import org.opentrunk.core.limits.CallAdmission;
import org.opentrunk.core.limits.ChannelGrant;
import org.opentrunk.core.limits.CountryGuard;
import org.opentrunk.core.timer.SteadyClock;
import org.opentrunk.sip.LiveCalls;
import org.opentrunk.testing.RedisServer;

/**
 * Issue 20: the state two nodes share, against a real Redis server (Debian's redis-server) on
 * loopback. Each "node" here is its own {@link RedisLink} with its own parts, as in two processes.
 */
@Tag("IC-LIMITS")
class SharedStateRedisIT {

    private static final String HOST = "127.0.0.1";
    private static final int PORT = 26379;
    private static final long CUSTOMER = 41;
    private static RedisServer redis;

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final ExecutorService work = Executors.newFixedThreadPool(4);
    private final List<RedisLink> links = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start(HOST, PORT);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @BeforeEach
    void emptyRedis() throws Exception {
        RedisLink link = link();
        link.commands().orElseThrow().flushall().get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void closeLinks() {
        links.forEach(RedisLink::close);
        scheduler.shutdownNow();
        work.shutdownNow();
    }

    private RedisLink link() {
        RedisLink link = new RedisLink(redis.url(), scheduler, work);
        links.add(link);
        link.start();
        await("connected").atMost(Duration.ofSeconds(10)).until(() -> link.state() == RedisLink.State.UP);
        return link;
    }

    private static ChannelGrant take(CallAdmission admission, int maxChannels, int maxCps) throws Exception {
        return admission.acquire(CUSTOMER, maxChannels, maxCps).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void maxChannelsHoldsForBothNodesTogether() throws Exception {
        SharedCallAdmission node1 = new SharedCallAdmission(link(), "node1", "r1", Duration.ofSeconds(60), SteadyClock::millis);
        SharedCallAdmission node2 = new SharedCallAdmission(link(), "node2", "r2", Duration.ofSeconds(60), SteadyClock::millis);
        ChannelGrant a = take(node1, 3, CallAdmission.NO_RATE_LIMIT);
        ChannelGrant b = take(node1, 3, CallAdmission.NO_RATE_LIMIT);
        ChannelGrant c = take(node2, 3, CallAdmission.NO_RATE_LIMIT);
        assertTrue(a.admitted() && b.admitted() && c.admitted());
        assertEquals(ChannelGrant.Verdict.CHANNEL_LIMIT, take(node2, 3, CallAdmission.NO_RATE_LIMIT).verdict());
        assertEquals(ChannelGrant.Verdict.CHANNEL_LIMIT, take(node1, 3, CallAdmission.NO_RATE_LIMIT).verdict());
        assertEquals(3, node2.inUse(CUSTOMER));
        a.release();
        a.release();
        await().atMost(Duration.ofSeconds(5)).until(() -> node2.inUse(CUSTOMER) == 2);
        assertTrue(take(node2, 3, CallAdmission.NO_RATE_LIMIT).admitted(), "node 1's released channel is node 2's");
        assertEquals(ChannelGrant.Verdict.CHANNEL_LIMIT, take(node1, 3, CallAdmission.NO_RATE_LIMIT).verdict());
        assertTrue(node1.count(CUSTOMER).admitted(), "an emergency call is counted, never refused");
        await().atMost(Duration.ofSeconds(5)).until(() -> node2.inUse(CUSTOMER) == 4);
    }

    @Test
    void aBurstOfConcurrentCallsOnTwoNodesAdmitsExactlyTheLimit() throws Exception {
        SharedCallAdmission node1 = new SharedCallAdmission(link(), "node1", "r1", Duration.ofSeconds(60), SteadyClock::millis);
        SharedCallAdmission node2 = new SharedCallAdmission(link(), "node2", "r2", Duration.ofSeconds(60), SteadyClock::millis);
        List<java.util.concurrent.CompletableFuture<ChannelGrant>> asked = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            asked.add((i % 2 == 0 ? node1 : node2).acquire(CUSTOMER, 25, CallAdmission.NO_RATE_LIMIT).toCompletableFuture());
        }
        long admitted = 0;
        for (var grant : asked) {
            admitted += grant.get(5, TimeUnit.SECONDS).admitted() ? 1 : 0;
        }
        assertEquals(25, admitted);
    }

    @Test
    void maxCpsHoldsForBothNodesTogether() throws Exception {
        SharedCallAdmission node1 = new SharedCallAdmission(link(), "node1", "r1", Duration.ofSeconds(60), SteadyClock::millis);
        SharedCallAdmission node2 = new SharedCallAdmission(link(), "node2", "r2", Duration.ofSeconds(60), SteadyClock::millis);
        assertTrue(take(node1, 100, 2).admitted());
        assertTrue(take(node2, 100, 2).admitted());
        ChannelGrant third = take(node1, 100, 2);
        assertEquals(ChannelGrant.Verdict.RATE_LIMIT, third.verdict());
        assertEquals(2, node1.inUse(CUSTOMER), "a call refused for its rate holds no channel");
        await("the bucket refills").atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> take(node2, 100, 2).admitted());
        assertEquals(ChannelGrant.Verdict.RATE_LIMIT, take(node2, 100, 0).verdict(), "maxCps 0 refuses every call");
    }

    @Test
    void aDeadNodesChannelsAreFreeWhenItsLeasesExpireAndALiveNodeKeepsItsOwn() throws Exception {
        Duration lease = Duration.ofMillis(1_500);
        SharedCallAdmission dead = new SharedCallAdmission(link(), "dead", "r1", Duration.ofSeconds(60), SteadyClock::millis, lease);
        SharedCallAdmission alive = new SharedCallAdmission(link(), "alive", "r2", Duration.ofSeconds(60), SteadyClock::millis, lease);
        assertTrue(take(dead, 3, CallAdmission.NO_RATE_LIMIT).admitted());
        assertTrue(take(dead, 3, CallAdmission.NO_RATE_LIMIT).admitted());
        assertTrue(take(alive, 3, CallAdmission.NO_RATE_LIMIT).admitted());
        assertEquals(ChannelGrant.Verdict.CHANNEL_LIMIT, take(alive, 3, CallAdmission.NO_RATE_LIMIT).verdict());
        long deadline = System.nanoTime() + Duration.ofMillis(3_500).toNanos();
        while (System.nanoTime() < deadline) {
            alive.renew(); // the live node renews, the dead one does not
            Thread.sleep(300);
        }
        assertEquals(1, alive.inUse(CUSTOMER), "the dead node's two leases expired, the live node's one is renewed");
        assertTrue(take(alive, 3, CallAdmission.NO_RATE_LIMIT).admitted());
        assertTrue(take(alive, 3, CallAdmission.NO_RATE_LIMIT).admitted());
    }

    @Test
    void withoutRedisANodeDecidesOnItsLastKnownCountsForTheGraceThenRefusesAndCatchesUpAfter() throws Exception {
        SharedCallAdmission other = new SharedCallAdmission(link(), "other", "r1", Duration.ofSeconds(60), SteadyClock::millis);
        SharedCallAdmission node = new SharedCallAdmission(link(), "node", "r2", Duration.ofSeconds(2), SteadyClock::millis);
        assertTrue(take(other, 3, CallAdmission.NO_RATE_LIMIT).admitted());
        ChannelGrant mine = take(node, 3, CallAdmission.NO_RATE_LIMIT);
        assertTrue(mine.admitted());
        redis.freeze();
        try {
            ChannelGrant alone = take(node, 3, CallAdmission.NO_RATE_LIMIT);
            assertTrue(alone.admitted(), "one more: 1 of the other node's last known + 1 here + this one = 3");
            assertEquals(ChannelGrant.Verdict.CHANNEL_LIMIT, take(node, 3, CallAdmission.NO_RATE_LIMIT).verdict());
            assertTrue(node.unreachableFor().isPresent());
            alone.release();
            await("the grace runs out").atMost(Duration.ofSeconds(6)).pollDelay(Duration.ofMillis(2_100))
                    .until(() -> take(node, 3, CallAdmission.NO_RATE_LIMIT).verdict() == ChannelGrant.Verdict.UNAVAILABLE);
            assertTrue(node.graceSpent());
        } finally {
            redis.thaw();
        }
        // The node's probe (ClusterNode runs it every second) notices Redis is back; until then it
        // decides alone, without a round trip.
        await("answers again").atMost(Duration.ofSeconds(10)).until(() -> {
            node.probe();
            return node.unreachableFor().isEmpty();
        });
        assertTrue(take(node, 3, CallAdmission.NO_RATE_LIMIT).admitted());
        assertTrue(node.unreachableFor().isEmpty());
    }

    @Test
    void leasesLostWithARedisRestartAreAddedBackByTheirNodesRenewal() throws Exception {
        RedisLink link = link();
        SharedCallAdmission node = new SharedCallAdmission(link, "node", "r1", Duration.ofSeconds(60), SteadyClock::millis);
        assertTrue(take(node, 5, CallAdmission.NO_RATE_LIMIT).admitted());
        assertTrue(take(node, 5, CallAdmission.NO_RATE_LIMIT).admitted());
        redis.restart();
        await("reconnected").atMost(Duration.ofSeconds(20)).until(() -> link.commands().isPresent()
                && link.commands().get().ping().get(1, TimeUnit.SECONDS).equals("PONG"));
        node.restore(); // what ClusterNode does on every reconnection
        await().atMost(Duration.ofSeconds(5)).until(() -> node.inUse(CUSTOMER) == 2);
        node.renew(); // a plain renewal keeps them
        await().atMost(Duration.ofSeconds(5)).until(() -> node.inUse(CUSTOMER) == 2);
    }

    @Test
    void blocksAndSuspensionsReachTheOtherNodeAtOnceAndANodeStartingLaterAdoptsThem() throws Exception {
        AuthFailureGuard blocks1 = new AuthFailureGuard(2, Duration.ofMinutes(1), Duration.ofMinutes(10));
        AuthFailureGuard blocks2 = new AuthFailureGuard(2, Duration.ofMinutes(1), Duration.ofMinutes(10));
        CountryGuard fraud1 = new CountryGuard(1);
        CountryGuard fraud2 = new CountryGuard(1);
        RedisLink link1 = link();
        RedisLink link2 = link();
        ClusterEvents events1 = new ClusterEvents(link1, "node1", work);
        ClusterEvents events2 = new ClusterEvents(link2, "node2", work);
        new SharedGuards(link1, events1, blocks1, fraud1, SteadyClock::millis).start();
        new SharedGuards(link2, events2, blocks2, fraud2, SteadyClock::millis).start();
        events1.start();
        events2.start();
        Thread.sleep(300); // both subscribed

        long now = SteadyClock.millis();
        blocks1.recordFailure("127.3.0.7", now);
        assertTrue(blocks1.recordFailure("127.3.0.7", now));
        await("node 2 blocks it too").atMost(Duration.ofSeconds(2)).until(() -> blocks2.isBlocked("127.3.0.7", SteadyClock.millis()));
        fraud2.admit(CUSTOMER, 44, now);
        assertTrue(fraud2.admit(CUSTOMER, 44, now + 1).isPresent());
        await("node 1 suspends it too").atMost(Duration.ofSeconds(2)).until(() -> fraud1.admit(CUSTOMER, 44, SteadyClock.millis()).isPresent());

        // a node started now (or restarted) finds them in Redis
        AuthFailureGuard blocks3 = new AuthFailureGuard(2, Duration.ofMinutes(1), Duration.ofMinutes(10));
        CountryGuard fraud3 = new CountryGuard(1);
        RedisLink link3 = link();
        new SharedGuards(link3, new ClusterEvents(link3, "node3", work), blocks3, fraud3, SteadyClock::millis).start();
        await("node 3 adopted both").atMost(Duration.ofSeconds(5)).until(() -> blocks3.isBlocked("127.3.0.7", SteadyClock.millis())
                && fraud3.suspensions().size() == 1);
        assertTrue(blocks3.blocks(SteadyClock.millis()).get(0).untilMs() - SteadyClock.millis() > Duration.ofMinutes(9).toMillis(),
                "for what is left of the block");

        // an operator lifts them on node 2: gone everywhere, and from Redis
        assertTrue(blocks2.unblock("127.3.0.7"));
        assertTrue(fraud2.clear(CUSTOMER, 44));
        await("lifted on node 1").atMost(Duration.ofSeconds(2)).until(() -> !blocks1.isBlocked("127.3.0.7", SteadyClock.millis())
                && fraud1.suspensions().isEmpty());
        assertEquals(0L, link1.commands().orElseThrow().exists(SharedGuards.BLOCK_PREFIX + "127.3.0.7").get(1, TimeUnit.SECONDS));
        assertEquals(0L, link1.commands().orElseThrow().hlen(SharedGuards.SUSPENSIONS).get(1, TimeUnit.SECONDS));
    }

    @Test
    void allNodesShareOneNonceKeyAndAcceptEachOthersRuns() throws Exception {
        RedisLink link1 = link();
        RedisLink link2 = link();
        ClusterEvents events1 = new ClusterEvents(link1, "node1", work);
        ClusterEvents events2 = new ClusterEvents(link2, "node2", work);
        SharedNonces shared1 = new SharedNonces(link1, events1, "node1");
        SharedNonces shared2 = new SharedNonces(link2, events2, "node2");
        byte[] key1 = shared1.sharedSecret().orElseThrow();
        byte[] key2 = shared2.sharedSecret().orElseThrow();
        assertArrayEquals(key1, key2, "the second node reads the key the first stored");
        Nonces nonces1 = new Nonces(key1, Nonces.DEFAULT_LIFETIME, 1000, java.time.Clock.systemUTC());
        Nonces nonces2 = new Nonces(key2, Nonces.DEFAULT_LIFETIME, 1000, java.time.Clock.systemUTC());
        shared1.start(nonces1, false);
        events1.start();
        String fromNode1 = nonces1.issue("trunk.example.net");
        Nonces ownKey = Nonces.withRandomSecret(java.time.Clock.systemUTC()); // node 3 started before it reached Redis
        String beforeRedis = ownKey.issue("trunk.example.net");
        RedisLink link3 = link();
        ClusterEvents events3 = new ClusterEvents(link3, "node3", work);
        new SharedNonces(link3, events3, "node3").start(ownKey, true);
        events3.start();
        shared2.start(nonces2, false); // node 2 starts after node 1 announced its run: it reads it from Redis
        events2.start();
        await("node 3 took the shared key").atMost(Duration.ofSeconds(5))
                .until(() -> ownKey.check(fromNode1, "trunk.example.net") == NonceValidity.VALID);
        assertEquals(NonceValidity.STALE, ownKey.check(beforeRedis, "trunk.example.net"), "its own earlier nonces: stale, not 403");
        await("node 2 knows node 1's run").atMost(Duration.ofSeconds(5))
                .until(() -> nonces2.check(fromNode1, "trunk.example.net") == NonceValidity.VALID);
        await("node 1 heard of node 2's run").atMost(Duration.ofSeconds(5))
                .until(() -> nonces1.check(nonces2.issue("trunk.example.net"), "trunk.example.net") == NonceValidity.VALID);
    }

    @Test
    void oneNodeSendsTheKeepalivesAndAnotherTakesOverWhenItStops() throws Exception {
        KeepaliveLeader first = new KeepaliveLeader(link(), "node1", SteadyClock::millis);
        KeepaliveLeader second = new KeepaliveLeader(link(), "node2", SteadyClock::millis);
        first.claim();
        await().atMost(Duration.ofSeconds(2)).until(first::getAsBoolean);
        second.claim();
        Thread.sleep(300);
        assertFalse(second.getAsBoolean(), "the key is node 1's");
        RedisLink admin = link();
        admin.commands().orElseThrow().del(KeepaliveLeader.KEY).get(1, TimeUnit.SECONDS); // node 1's term ran out
        second.claim();
        await().atMost(Duration.ofSeconds(2)).until(second::getAsBoolean);
    }

    @Test
    void theLiveCallsOfTheOtherNodesAreListedUntilTheirPostExpires() throws Exception {
        CallSummary call = new CallSummary("outbound", "c1@pbx", "k1@trunk", CUSTOMER, "Acme", 3, "Carrier A", "carrier-a",
                "answered", 1_700_000_000_000L, 1_700_000_001_000L, true, 2, "PCMU", false);
        LiveCallsBoard node1 = new LiveCallsBoard(link(), "node1", () -> List.of(call));
        LiveCallsBoard node2 = new LiveCallsBoard(link(), "node2", List::of);
        node1.post();
        node2.post();
        await().atMost(Duration.ofSeconds(2)).until(() -> node2.others().size() == 1);
        LiveCalls.NodeCall seen = node2.others().get(0);
        assertEquals("node1", seen.node());
        assertEquals(call, seen.summary());
        assertEquals(2, node2.nodesSeen());
        assertTrue(node1.others().isEmpty(), "node 2 has no calls");
    }
}
