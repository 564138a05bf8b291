package org.opentrunk.cluster;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.json.Json;
import javax.json.JsonArray;
import javax.json.JsonArrayBuilder;
import javax.json.JsonObject;
import javax.json.JsonReader;
import javax.json.JsonValue;
import org.opentrunk.call.CallSummary;
import org.opentrunk.sip.LiveCalls;

/**
 * The live calls of every node (issue 20): each node posts its calls to Redis every
 * {@link #POST_EVERY} under a key that expires after {@link #KEEP}, so a node that dies drops off
 * the list by itself; the API and the admin read the others' posts beside their own.
 */
public final class LiveCallsBoard {

    private static final Logger LOG = Logger.getLogger(LiveCallsBoard.class.getName());
    static final String PREFIX = "ot:live:";
    /** The nodes that posted lately, scored by when (node clocks: only roughly compared). */
    static final String NODES = "ot:nodes";
    public static final Duration POST_EVERY = Duration.ofSeconds(2);
    /** A post outlives a few missed ones, not a dead node for long. */
    public static final Duration KEEP = Duration.ofSeconds(10);
    /** Calls one node posts at most (a post is one Redis value). */
    static final int MAX_POSTED = 20_000;
    private static final long READ_WAIT_MS = 1_000;

    private final RedisLink redis;
    private final String nodeId;
    private final Supplier<List<CallSummary>> ownCalls;
    private volatile int nodesSeen = 1;

    public LiveCallsBoard(RedisLink redis, String nodeId, Supplier<List<CallSummary>> ownCalls) {
        this.redis = redis;
        this.nodeId = nodeId;
        this.ownCalls = ownCalls;
    }

    /** Posts this node's calls; on a scheduler every {@link #POST_EVERY}. */
    public void post() {
        post(count -> { });
    }

    /**
     * Posts this node's calls and its presence, and tells {@code nodes} how many nodes posted
     * within {@link #KEEP} (this one included): the share of a customer's rate each takes while
     * Redis is away.
     */
    public void post(java.util.function.IntConsumer nodes) {
        Optional<RedisAsyncCommands<String, String>> commands = redis.commands();
        if (commands.isEmpty()) {
            return;
        }
        JsonArrayBuilder calls = Json.createArrayBuilder();
        ownCalls.get().stream().limit(MAX_POSTED).forEach(s -> calls.add(toJson(s)));
        RedisAsyncCommands<String, String> c = commands.get();
        c.set(PREFIX + nodeId, calls.build().toString(), SetArgs.Builder.px(KEEP.toMillis()));
        long now = System.currentTimeMillis();
        c.zadd(NODES, now, nodeId);
        c.zremrangebyscore(NODES, io.lettuce.core.Range.create(0, now - KEEP.toMillis()));
        c.zcard(NODES).thenAccept(count -> {
            nodesSeen = count.intValue();
            nodes.accept(count.intValue());
        });
    }

    /** The other nodes' calls, as last posted (blocks up to a second: for the API and admin, never SIP). */
    public List<LiveCalls.NodeCall> others() {
        Optional<RedisAsyncCommands<String, String>> commands = redis.commands();
        List<LiveCalls.NodeCall> found = new ArrayList<>();
        if (commands.isEmpty()) {
            return found;
        }
        try {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = commands.get().scan(cursor, ScanArgs.Builder.matches(PREFIX + "*").limit(100))
                        .get(READ_WAIT_MS, TimeUnit.MILLISECONDS);
                for (String key : page.getKeys()) {
                    String node = key.substring(PREFIX.length());
                    if (node.equals(nodeId)) {
                        continue;
                    }
                    String posted = commands.get().get(key).get(READ_WAIT_MS, TimeUnit.MILLISECONDS);
                    if (posted != null) {
                        read(node, posted, found);
                    }
                }
                cursor = page;
            } while (!cursor.isFinished());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.log(Level.FINE, "Reading the other nodes' live calls failed", e);
        }
        return found;
    }

    /** Nodes with a post at the last reading, this one included. */
    public int nodesSeen() {
        return nodesSeen;
    }

    static JsonObject toJson(CallSummary s) {
        return Json.createObjectBuilder()
                .add("direction", text(s.direction())).add("customerCallId", text(s.customerCallId()))
                .add("carrierCallId", text(s.carrierCallId())).add("customerId", s.customerId())
                .add("customerName", text(s.customerName())).add("carrierId", s.carrierId())
                .add("carrierName", text(s.carrierName())).add("route", text(s.route())).add("state", text(s.state()))
                .add("startedAtMs", s.startedAtMs()).add("answeredAtMs", s.answeredAtMs()).add("anchored", s.anchored())
                .add("dtmfDigits", s.dtmfDigits()).add("codec", text(s.codec())).add("fax", s.fax()).build();
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static void read(String node, String posted, List<LiveCalls.NodeCall> into) {
        try (JsonReader reader = Json.createReader(new StringReader(posted))) {
            JsonArray calls = reader.readArray();
            for (JsonValue value : calls) {
                JsonObject o = value.asJsonObject();
                into.add(new LiveCalls.NodeCall(node, new CallSummary(nullIfEmpty(o.getString("direction", "")),
                        nullIfEmpty(o.getString("customerCallId", "")), nullIfEmpty(o.getString("carrierCallId", "")),
                        o.getJsonNumber("customerId").longValue(), nullIfEmpty(o.getString("customerName", "")),
                        o.getJsonNumber("carrierId").longValue(), nullIfEmpty(o.getString("carrierName", "")),
                        nullIfEmpty(o.getString("route", "")), nullIfEmpty(o.getString("state", "")),
                        o.getJsonNumber("startedAtMs").longValue(), o.getJsonNumber("answeredAtMs").longValue(),
                        o.getBoolean("anchored", false), o.getInt("dtmfDigits", 0), nullIfEmpty(o.getString("codec", "")),
                        o.getBoolean("fax", false))));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "A node's post of live calls is not readable: " + node, e);
        }
    }

    private static String nullIfEmpty(String value) {
        return value.isEmpty() ? null : value;
    }
}
