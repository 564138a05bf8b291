package org.opentrunk.core.auth.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Replay memory exhaustion (issue 25), performed: one authenticated PBX answers thousands of fresh
 * challenges correctly (a REGISTER flood), each leaving a live nonce in the replay memory. It must
 * fill only its own share, per customer and per address, and the other customers keep getting in.
 */
@Tag("IC-DIGEST")
class ReplayMemorySharesTest {

    private static final String REALM = "trunk.example.net";
    private static final String URI = "sip:trunk.example.net";
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    /** Small so that the flood fills it in a unit test; the shares are the same percentages. */
    private static final int CAPACITY = 2_000;
    private static final int SHARE = CAPACITY * Nonces.CUSTOMER_SHARE_PERCENT / 100;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Nonces nonces = new Nonces(SECRET, Nonces.DEFAULT_LIFETIME, CAPACITY, clock);
    private final DigestVerifier verifier = new DigestVerifier(nonces);

    /** A REGISTER answering a fresh challenge with the right password, as a PBX sends it. */
    private DigestOutcome register(String user, String address) throws Exception {
        TestDigestClient client = new TestDigestClient(user, "secret of " + user);
        String challenge = DigestChallenge.issue(nonces, REALM, false).headerValue(DigestAlgorithm.MD5);
        DigestCredentials credentials = DigestCredentials.parse(client.answer(challenge, "REGISTER", URI, 1, "c"));
        Ha1 ha1 = Ha1.forEveryAlgorithm(user, REALM, "secret of " + user).get(DigestAlgorithm.MD5);
        return verifier.verify(credentials, "REGISTER", Optional.of(ha1), REALM, address);
    }

    private Map<DigestOutcome, Integer> flood(String user, String address, int requests) throws Exception {
        Map<DigestOutcome, Integer> outcomes = new EnumMap<>(DigestOutcome.class);
        for (int i = 0; i < requests; i++) {
            outcomes.merge(register(user, address), 1, Integer::sum);
        }
        return outcomes;
    }

    @Test
    void aFloodingCustomerFillsOnlyItsShare() throws Exception {
        Map<DigestOutcome, Integer> flood = flood("flooder", "127.0.0.145", 5 * CAPACITY);
        assertEquals(Map.of(DigestOutcome.ACCEPTED, SHARE, DigestOutcome.REPLAY_SHARE_FULL, 5 * CAPACITY - SHARE),
                flood);
        assertTrue(DigestOutcome.REPLAY_SHARE_FULL.isOverload(), "answered 503 by the SIP layer, not counted");
        assertEquals(SHARE, nonces.rememberedFor("flooder"));
        assertEquals(SHARE, nonces.remembered(), "the rest of the memory is still free");

        // the other customers, on other addresses, are not touched
        for (int i = 0; i < 50; i++) {
            assertEquals(DigestOutcome.ACCEPTED, register("pbx" + i, "127.0.0.146"));
        }
        // the flooder from another address too remains refused: its share is per customer
        assertEquals(DigestOutcome.REPLAY_SHARE_FULL, register("flooder", "127.0.0.147"));

        // its nonces expire, and with them its share
        clock.advance(Nonces.DEFAULT_LIFETIME.plus(Duration.ofSeconds(1)));
        assertEquals(DigestOutcome.ACCEPTED, register("flooder", "127.0.0.145"));
        assertEquals(1, nonces.rememberedFor("flooder"));
    }

    @Test
    void manyCustomersFromOneAddressFillOnlyThatAddressesShare() throws Exception {
        // stolen credentials, or a hosted platform gone wrong: one address, many usernames
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 4 * SHARE; i++) {
            DigestOutcome outcome = register("tenant" + (i % 40), "127.0.0.148");
            accepted += outcome == DigestOutcome.ACCEPTED ? 1 : 0;
            refused += outcome == DigestOutcome.REPLAY_SHARE_FULL ? 1 : 0;
        }
        assertEquals(SHARE, accepted);
        assertEquals(3 * SHARE, refused);
        // a tenant from another address, and everyone else, still get in
        assertEquals(DigestOutcome.ACCEPTED, register("tenant1", "127.0.0.149"));
        assertEquals(DigestOutcome.ACCEPTED, register("someone", "127.0.0.146"));
    }

    @Test
    void fourFloodersCannotFillTheMemoryForAFifthWhenItIsShared() throws Exception {
        // the whole memory is only full when several senders each fill their share; then new
        // nonces are refused for everyone (MEMORY_FULL) rather than a live one forgotten
        for (int f = 0; f < CAPACITY / SHARE; f++) {
            flood("flooder" + f, "127.0.0.14" + (1 + f), SHARE + 10);
        }
        assertEquals(CAPACITY, nonces.remembered());
        assertEquals(DigestOutcome.REPLAY_MEMORY_FULL, register("late", "127.0.0.146"));
        assertTrue(DigestOutcome.REPLAY_MEMORY_FULL.isOverload());
    }

    @Test
    void theCountersPerSenderAreDroppedWithTheirNonces() {
        NonceCounts counts = new NonceCounts(100, 10, 20);
        long expires = 1_000;
        for (int i = 0; i < 30; i++) {
            counts.record("n" + i, 1, expires, 0, "c" + (i % 3), "a" + (i % 2));
        }
        assertEquals(30, counts.size(), "three customers of 10, two addresses of 15: all within their shares");
        assertEquals(NonceCounts.Use.NEW_COUNT, counts.record("n0", 2, expires, 0, "c0", "a0"),
                "a known nonce is not counted again");
        assertEquals(NonceCounts.Use.SENDER_SHARE_FULL, counts.record("x", 1, expires, 0, "c0", "z"));
        counts.record("later", 1, 5_000, 2_000, "other", "b");
        assertEquals(1, counts.size());
        assertEquals(2, counts.sendersTracked(), "only the live entry's customer and address are kept");
        assertEquals(0, counts.heldByCustomer("c0"));
    }
}
