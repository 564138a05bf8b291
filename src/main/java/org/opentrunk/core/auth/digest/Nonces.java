package org.opentrunk.core.auth.digest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks digest nonces (IC-DIGEST: nonce with expiry and replay protection).
 *
 * <p>A nonce is {@code base64url(timestamp || run || random || MAC)}, where the timestamp is the
 * issue time in epoch milliseconds (8 bytes), run is this instance's random run id (8 bytes, one
 * per start), the random part is 8 bytes, and MAC is HMAC-SHA256(secret, timestamp || run ||
 * random || realm) truncated to 16 bytes. Issuing therefore stores nothing: a flood of
 * unauthenticated requests, each of which gets a challenge, costs no memory. The MAC makes a
 * nonce unforgeable and binds it to its realm, issue time and run; 128 bits of it are plenty
 * against forgery and keep the nonce (54 characters) short, which matters for SIP over UDP where
 * two challenge headers must fit in one datagram.
 *
 * <p>Across a restart: the secret is kept ({@link NonceSecretFile}), so a nonce issued by an
 * earlier run still has a good MAC, but the replay memory did not survive, so such a nonce is
 * never {@link NonceValidity#VALID}: it is {@link NonceValidity#STALE}, and a PBX answering it
 * with the right password is re-challenged with {@code stale=true} (RFC 7616 section 3.3) rather
 * than refused. The run id, not the timestamp, tells the runs apart, so a wall clock stepped back
 * across a restart cannot make an old nonce look new.
 *
 * <p>Replay protection is the one piece of state: for each nonce that has been answered correctly,
 * the highest nonce count (nc) seen, see {@link NonceCounts}. A request is accepted only if its nc
 * is higher than every nc accepted before with the same nonce.
 */
public final class Nonces {

    /** How long a nonce may be used; long enough for a PBX to reuse it for a few requests. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(300);
    /**
     * How many answered nonces the replay memory holds: twice the 300,000 that 1,000 new calls
     * per second leave alive over the default lifetime (each call normally answers a fresh
     * challenge), about 200 bytes each when full.
     */
    public static final int DEFAULT_REPLAY_CAPACITY = 600_000;
    /**
     * The share of the replay memory one customer (digest username) may hold, in percent: 25 % of
     * the default is 150,000 live nonces, 500 new authenticated requests a second for the whole
     * lifetime, far above one PBX's calls, while a flood from one customer leaves three quarters
     * to the others (issue 25).
     */
    public static final int CUSTOMER_SHARE_PERCENT = 25;
    /**
     * The share one source address may hold, in percent: as much as a customer, so that the
     * tenants of one hosted platform (IC-SHARED-IP) together cannot crowd out everyone else either.
     */
    public static final int ADDRESS_SHARE_PERCENT = 25;
    /** The HMAC key must be at least as long as its output to give HMAC-SHA256 full strength. */
    public static final int MIN_SECRET_BYTES = 32;

    private static final int TIMESTAMP_BYTES = Long.BYTES;
    /** 64 bits: the chance that a later run draws an earlier one's id is negligible. */
    private static final int RUN_BYTES = 8;
    /** With the millisecond timestamp and the run, 64 bits keep every nonce distinct. */
    private static final int RANDOM_BYTES = 8;
    private static final int MAC_BYTES = 16;
    private static final int SIGNED_BYTES = TIMESTAMP_BYTES + RUN_BYTES + RANDOM_BYTES;
    private static final int NONCE_BYTES = SIGNED_BYTES + MAC_BYTES;
    private static final String HMAC = "HmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** Length of an encoded nonce; anything else is rejected before decoding. */
    static final int ENCODED_LENGTH = ENCODER.encodeToString(new byte[NONCE_BYTES]).length();

    /** The key new nonces are signed with. */
    private volatile SecretKeySpec key;
    /**
     * The key before the last {@link #rekey}: its nonces are {@link NonceValidity#STALE}, so a PBX
     * holding one is challenged again with {@code stale=true}, not refused.
     */
    private volatile SecretKeySpec previousKey;
    /** Whether a nonce under an unknown key is stale rather than invalid ({@link #otherKeysStale()}). */
    private volatile boolean otherKeysStale;
    private final long lifetimeMillis;
    private final Clock clock;
    private final NonceCounts counts;
    /** This instance's run id, the bytes after the timestamp of every nonce it issues. */
    private final byte[] run = new byte[RUN_BYTES];
    /**
     * The runs of the other nodes of the trunk (issue 20), whose nonces are checked like this run's:
     * hex run id to nothing, bounded, oldest dropped first.
     */
    private final Map<String, Boolean> peerRuns = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > MAX_PEER_RUNS;
                }
            });
    /** Runs of other nodes remembered at most: far more than a trunk restarts its nodes within a nonce's lifetime. */
    public static final int MAX_PEER_RUNS = 1_024;

    /**
     * @param secret         HMAC key, at least {@link #MIN_SECRET_BYTES}; kept across restarts
     *                       ({@link NonceSecretFile}) so that earlier runs' nonces are
     *                       {@link NonceValidity#STALE}; nonces issued under another secret are
     *                       {@link NonceValidity#INVALID}
     * @param lifetime       how long a nonce is {@link NonceValidity#VALID}
     * @param replayCapacity how many answered nonces the replay memory holds at most
     * @param clock          the time source; tests move it
     */
    public Nonces(byte[] secret, Duration lifetime, int replayCapacity, Clock clock) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(lifetime, "lifetime");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the nonce secret needs at least " + MIN_SECRET_BYTES
                    + " bytes, got " + secret.length);
        }
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("nonce lifetime must be positive: " + lifetime);
        }
        if (replayCapacity < 1) {
            throw new IllegalArgumentException("replay capacity must be at least 1: " + replayCapacity);
        }
        this.key = new SecretKeySpec(secret.clone(), HMAC);
        this.lifetimeMillis = lifetime.toMillis();
        this.counts = new NonceCounts(replayCapacity, share(replayCapacity, CUSTOMER_SHARE_PERCENT),
                share(replayCapacity, ADDRESS_SHARE_PERCENT));
        RANDOM.nextBytes(run);
    }

    /**
     * Nonces with a random secret and the defaults: nonces of earlier runs are
     * {@link NonceValidity#INVALID} here, so PBXs holding one get 403 (tests; the trunk keeps its
     * secret in a {@link NonceSecretFile}).
     */
    public static Nonces withRandomSecret(Clock clock) {
        return new Nonces(randomSecret(), DEFAULT_LIFETIME, DEFAULT_REPLAY_CAPACITY, clock);
    }

    /** A fresh secret of {@link #MIN_SECRET_BYTES} random bytes, e.g. to store for a cluster. */
    public static byte[] randomSecret() {
        byte[] secret = new byte[MIN_SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return secret;
    }

    /**
     * With several nodes (issue 20): a well-formed nonce under a key this node does not hold is
     * stale, not forged. Nodes agree on their key through the shared state, but one that has not
     * reached it yet signs with its own; a PBX answering such a node's challenge elsewhere must get
     * {@code stale=true} (only after its password matched), never a 403 that counts towards a block.
     */
    public void otherKeysStale() {
        otherKeysStale = true;
    }

    /** The key new nonces are signed with, to share it with the other nodes of the trunk (issue 20). */
    public byte[] keyToShare() {
        return key.getEncoded();
    }

    /** This run's id in hex: other nodes of the trunk accept its nonces once told ({@link #acceptRun}). */
    public String runId() {
        return HexFormat.of().formatHex(run);
    }

    /**
     * Accepts the nonces of another node's run (issue 20): a PBX challenged by one node answers
     * through another. The other node's replay memory is not here: such a nonce's counts are
     * remembered from its first use on this node (docs/cluster.md says what that leaves open).
     */
    public void acceptRun(String runHex) {
        if (runHex != null && runHex.length() == 2 * RUN_BYTES && runHex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)
                && !runHex.equalsIgnoreCase(runId())) {
            peerRuns.put(runHex.toLowerCase(java.util.Locale.ROOT), Boolean.TRUE);
        }
    }

    public Duration lifetime() {
        return Duration.ofMillis(lifetimeMillis);
    }

    /** A new nonce for {@code realm}; it uses only base64url characters, safe in a quoted-string. */
    public String issue(String realm) {
        Objects.requireNonNull(realm, "realm");
        byte[] nonce = new byte[NONCE_BYTES];
        ByteBuffer.wrap(nonce).putLong(clock.millis());
        System.arraycopy(run, 0, nonce, TIMESTAMP_BYTES, RUN_BYTES);
        byte[] random = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(random);
        System.arraycopy(random, 0, nonce, TIMESTAMP_BYTES + RUN_BYTES, RANDOM_BYTES);
        System.arraycopy(mac(nonce, realm), 0, nonce, SIGNED_BYTES, MAC_BYTES);
        return ENCODER.encodeToString(nonce);
    }

    /**
     * Whether {@code nonce} is one this server issued for {@code realm}, and whether it is still
     * fresh. A nonce from the future by more than the lifetime (the clock was stepped back that
     * far) counts as stale too, so that no nonce stays usable for longer than twice the lifetime.
     * A nonce of an earlier run (before a restart) is stale whatever its age: the replay memory
     * that would catch its reuse is gone. Never throws on garbage.
     */
    public NonceValidity check(String nonce, String realm) {
        Objects.requireNonNull(realm, "realm");
        byte[] raw = decode(nonce);
        if (raw == null) {
            return NonceValidity.INVALID;
        }
        byte[] sent = Arrays.copyOfRange(raw, SIGNED_BYTES, NONCE_BYTES);
        if (!MessageDigest.isEqual(sent, mac(raw, realm))) {
            SecretKeySpec before = previousKey;
            boolean earlierKey = before != null && MessageDigest.isEqual(sent, mac(raw, realm, before));
            return earlierKey || otherKeysStale ? NonceValidity.STALE : NonceValidity.INVALID;
        }
        if (!Arrays.equals(run, 0, RUN_BYTES, raw, TIMESTAMP_BYTES, TIMESTAMP_BYTES + RUN_BYTES)
                && !peerRuns.containsKey(HexFormat.of().formatHex(raw, TIMESTAMP_BYTES, TIMESTAMP_BYTES + RUN_BYTES))) {
            return NonceValidity.STALE;
        }
        long age = clock.millis() - issuedAt(raw);
        return age > lifetimeMillis || age < -lifetimeMillis ? NonceValidity.STALE : NonceValidity.VALID;
    }

    private static int share(int capacity, int percent) {
        return (int) Math.max(1, (long) capacity * percent / 100);
    }

    /**
     * {@link #recordUse(String, long, String, String)} without counting the use against a
     * sender's share.
     */
    NonceCounts.Use recordUse(String nonce, long nc) {
        return recordUse(nonce, nc, null, null);
    }

    /**
     * Records that {@code nonce} was answered correctly with nonce count {@code nc}, by
     * {@code customer} (the digest username) from {@code address}, each of which may hold only
     * its share of the memory (null: not counted). Only for a
     * nonce {@link #check} found valid and a response that matched: recording anything earlier
     * would let anyone fill the memory.
     */
    NonceCounts.Use recordUse(String nonce, long nc, String customer, String address) {
        byte[] raw = decode(nonce);
        if (raw == null) {
            return NonceCounts.Use.REPLAYED; // unreachable after check(); fail closed anyway
        }
        return counts.record(nonce, nc, issuedAt(raw) + lifetimeMillis, clock.millis(), customer, address);
    }

    /** Live nonces {@code customer} holds in the replay memory. */
    int rememberedFor(String customer) {
        return counts.heldByCustomer(customer);
    }

    /** How many answered nonces the replay memory holds now. */
    int remembered() {
        return counts.size();
    }

    /** The nonce's bytes, or null when it cannot be one of ours. */
    private static byte[] decode(String nonce) {
        if (nonce == null || nonce.length() != ENCODED_LENGTH) {
            return null;
        }
        byte[] raw;
        try {
            raw = DECODER.decode(nonce);
        } catch (IllegalArgumentException e) {
            return null;
        }
        // The decoder ignores the unused low bits of the last character: insist on the one
        // spelling we issue, so that a nonce has exactly one string form.
        if (raw.length != NONCE_BYTES || !ENCODER.encodeToString(raw).equals(nonce)) {
            return null;
        }
        return raw;
    }

    private static long issuedAt(byte[] raw) {
        return ByteBuffer.wrap(raw).getLong();
    }

    /** HMAC over the signed part of {@code nonce} and the realm, truncated to {@link #MAC_BYTES}. */
    private byte[] mac(byte[] nonce, String realm) {
        return mac(nonce, realm, key);
    }

    /**
     * Signs new nonces with {@code secret} from now on (issue 20: a node that started before it
     * could read the key the trunk's nodes share takes it once it can). Nonces signed with the key
     * it had are stale from now on, not invalid. Nothing happens when it is the key in use.
     */
    public void rekey(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the nonce secret needs at least " + MIN_SECRET_BYTES + " bytes");
        }
        SecretKeySpec next = new SecretKeySpec(secret.clone(), HMAC);
        synchronized (this) {
            if (MessageDigest.isEqual(next.getEncoded(), key.getEncoded())) {
                return;
            }
            previousKey = key;
            key = next;
        }
    }

    private byte[] mac(byte[] nonce, String realm, SecretKeySpec key) {
        try {
            // A new Mac per call rather than a ThreadLocal: container threads outlive the
            // application, and a ThreadLocal would pin its class loader after a redeploy.
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            mac.update(nonce, 0, SIGNED_BYTES);
            mac.update(realm.getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HMAC + " is part of every Java 17 runtime", e);
        }
    }
}
