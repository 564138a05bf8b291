package org.opentrunk.core.settings;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.opentrunk.core.auth.digest.Nonces;

/**
 * What a node needs to be one of several (issue 20). None of it is needed on a single node: without
 * {@code OT_REDIS_URL} every guard and counter is the node's own, as before.
 *
 * @param nodeId          this node's name in CDRs, the live calls and the channel leases
 *                        ({@code OT_NODE_ID}; default the machine's host name)
 * @param redisUrl        the shared fast state, {@code redis://host:port[/db]} ({@code OT_REDIS_URL});
 *                        empty on a single node
 * @param nonceSecret     the digest nonces' HMAC key shared by every node, 64 or more hex digits
 *                        ({@code OT_NONCE_SECRET}); empty: the data directory's key, or with
 *                        {@code OT_REDIS_URL} one the first node stores there for the others
 * @param sharedStateGrace how long a node that cannot reach the shared state keeps placing calls on
 *                        its last known counts ({@code OT_SHARED_STATE_GRACE}, seconds); after it,
 *                        new calls are refused with 503 and the node is not ready
 */
public record ClusterSettings(String nodeId, Optional<String> redisUrl, Optional<byte[]> nonceSecret,
                              Duration sharedStateGrace) {

    public static final Duration DEFAULT_SHARED_STATE_GRACE = Duration.ofSeconds(60);
    /** Node ids go into keys, CDRs and log lines: short, and no characters that need quoting. */
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern REDIS_URL = Pattern.compile("rediss?://[^\\s]+");
    private static final long MAX_GRACE_SECONDS = 3600;

    /** Whether this node shares its counters with others (a Redis URL is set). */
    public boolean clustered() {
        return redisUrl.isPresent();
    }

    @Override
    public String toString() {
        return "ClusterSettings[nodeId=" + nodeId + ", redisUrl=" + redisUrl.map(ClusterSettings::withoutPassword).orElse("none")
                + ", nonceSecret=" + (nonceSecret.isPresent() ? "set" : "not set") + ", sharedStateGrace="
                + sharedStateGrace.toSeconds() + " s]";
    }

    /** Reads the settings; a bad value is named in an {@link InvalidSettingException}. */
    public static ClusterSettings from(Function<String, String> env) {
        String node = trimmed(env.apply("OT_NODE_ID"));
        if (node == null) {
            node = defaultNodeId();
        } else if (!NODE_ID.matcher(node).matches()) {
            throw new InvalidSettingException("OT_NODE_ID", node, "1 to 64 letters, digits, '.', '_' or '-'");
        }
        String url = trimmed(env.apply("OT_REDIS_URL"));
        if (url != null && !REDIS_URL.matcher(url).matches()) {
            throw new InvalidSettingException("OT_REDIS_URL", withoutPassword(url), "a URL like redis://127.0.0.1:6379");
        }
        String secretHex = trimmed(env.apply("OT_NONCE_SECRET"));
        byte[] secret = null;
        if (secretHex != null) {
            try {
                secret = HexFormat.of().parseHex(secretHex);
            } catch (IllegalArgumentException e) {
                secret = null;
            }
            if (secret == null || secret.length < Nonces.MIN_SECRET_BYTES) {
                throw new InvalidSettingException("OT_NONCE_SECRET", "(hidden)",
                        "at least " + 2 * Nonces.MIN_SECRET_BYTES + " hexadecimal digits");
            }
        }
        long grace = TrunkSettings.number(env, "OT_SHARED_STATE_GRACE", DEFAULT_SHARED_STATE_GRACE.toSeconds(), 0,
                MAX_GRACE_SECONDS);
        return new ClusterSettings(node, Optional.ofNullable(url), Optional.ofNullable(secret), Duration.ofSeconds(grace));
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The host name, cut to what a node id may hold; "node" when the machine has none. */
    private static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "node";
        }
        String cleaned = host.replaceAll("[^A-Za-z0-9._-]", "-");
        if (cleaned.isEmpty() || !Character.isLetterOrDigit(cleaned.charAt(0))) {
            cleaned = "node" + cleaned;
        }
        return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
    }

    /** A URL as it may be logged: a password in it replaced. */
    static String withoutPassword(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }
}
