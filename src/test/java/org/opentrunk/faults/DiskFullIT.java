package org.opentrunk.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.json.JsonObject;
import javax.json.JsonValue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.PostgresServer;
import org.opentrunk.testing.Sipp;

/**
 * Issue 25, disk full on OT_DATA_DIR: the node's data directory is a tmpfs of 8 MB (mounted in the
 * server JVM's own mount namespace, so nothing stays mounted on the machine), the database is a
 * PostgreSQL elsewhere. While SIPp calls go through (5 a second), a file fills the tmpfs to the
 * last byte for 12 s, then is removed. Calls go on (every SIPp call completes; a BYE waits at most
 * 500 ms for the journal, once), /health/ready says 503 naming the CDR journal and the reason,
 * the log says "No space left on device"; once there is room again every completed call has
 * exactly one CDR and none was counted lost. The JVM runs with heap dumps in its logs directory,
 * not in OT_DATA_DIR, and exits on OutOfMemoryError.
 */
@Tag("IC-CDR")
class DiskFullIT {

    private static final String SIP_HOST = "127.0.0.189";
    private static final int SIP_PORT = 20995;
    private static final int HTTP_PORT = 16972;
    private static final String PASSWORD = "disk-full-it-secret";
    private static final String DOMAIN = "diskfull.test";
    private static final String PBX = "127.0.0.182";
    private static final String CARRIER = "127.0.0.183";
    private static final int CARRIER_PORT = 20996;
    private static final String PREFIX = "18918918";
    private static final int TMPFS_MB = 8;
    private static final int CALLS_PER_SECOND = 5;
    private static final int CALLS = 150;
    private static final Duration BEFORE = Duration.ofSeconds(5);
    private static final Duration FULL = Duration.ofSeconds(12);
    private static final Path COMPLETED_LOG = Sipp.OUTPUT.resolve("disk-full-pbx-completed.log").toAbsolutePath();

    @Test
    void callsAndCdrsSurviveAFullDataDirectory() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "mounting a tmpfs needs root (CI runs ./test.sh as root); not run as " + System.getProperty("user.name"));
        Path dataDir = Path.of("target/disk-full-data").toAbsolutePath();
        try (PostgresServer postgres = PostgresServer.start()) {
            LibertyServer server = LibertyServer.trunk("disk-full-it", SIP_HOST, SIP_PORT, HTTP_PORT, PASSWORD, DOMAIN,
                    "OT_DATA_DIR", dataDir.toString(), "OT_DB_URL", postgres.jdbcUrl(), "OT_DB_USER", "postgres",
                    "OT_DB_PASSWORD", "unused", "OT_FRAUD_GUARD_CALLS_PER_MINUTE", "0");
            ApiClient api = ApiClient.asAdmin(HTTP_PORT, PASSWORD);
            server.startWithTmpfs(dataDir, TMPFS_MB);
            try {
                api.awaitUp(Duration.ofSeconds(90));
                await("ready").atMost(Duration.ofSeconds(30)).until(() -> api.get("/health/ready").status() == 200);
                assertTrue(server.inMountNamespace("df", "-k", dataDir.toString()).contains("opentrunk-test-tmpfs"),
                        "the data directory is the small tmpfs");
                heapDumpsGoElsewhereAndOutOfMemoryExits(server);

                assertEquals(201, api.post("/api/v1/carriers", "{\"name\":\"gw\",\"host\":\"" + CARRIER + "\",\"port\":"
                        + CARRIER_PORT + "}").status());
                ApiClient.Reply caller = api.post("/api/v1/customers", "{\"name\":\"Calling PBX\",\"techPrefix\":\"" + PREFIX
                        + "\",\"ips\":[\"" + PBX + "\"],\"maxChannels\":100,\"maxCps\":100}");
                assertEquals(201, caller.status(), caller::toString);
                long customerId = caller.json().getJsonNumber("id").longValue();

                Files.deleteIfExists(COMPLETED_LOG);
                Sipp carrier = Sipp.scenario("disk-full-carrier", "uas-answers.xml").bind(CARRIER, CARRIER_PORT).udp()
                        .calls(CALLS, CALLS_PER_SECOND, 100).timeout(Duration.ofSeconds(120)).start(null);
                Sipp.Result calls;
                String filled;
                try {
                    Sipp callers = Sipp.scenario("disk-full-pbx", "uac-caller-hangs-up-logged.xml").bind(PBX).udp()
                            .dialing(PREFIX + "*+12066418189").calls(CALLS, CALLS_PER_SECOND, 100)
                            .callLength(Duration.ofMillis(500)).timeout(Duration.ofSeconds(120))
                            .args("-trace_logs", "-log_file", COMPLETED_LOG.toString())
                            .start(SIP_HOST + ":" + SIP_PORT);
                    Thread.sleep(BEFORE.toMillis()); // traffic with room on the disk

                    filled = server.inMountNamespace("sh", "-c", "dd if=/dev/zero of=" + dataDir + "/filler bs=64k; df -k " + dataDir);
                    long fullAt = System.nanoTime();
                    assertTrue(filled.contains("No space left on device"), filled);
                    await("not ready, journal full").atMost(Duration.ofSeconds(15)).until(() -> api.get("/health/ready").status() == 503);
                    ApiClient.Reply ready = api.get("/health/ready");
                    JsonObject journal = check(ready.json(), "cdr-journal");
                    assertEquals("DOWN", journal.getString("status"), ready::body);
                    assertTrue(journal.getString("detail").contains("No space left on device"), ready::body);
                    System.out.println("disk full: " + journal);
                    Thread.sleep(Math.max(0, FULL.toMillis() - (System.nanoTime() - fullAt) / 1_000_000));

                    server.inMountNamespace("rm", "-f", dataDir + "/filler");
                    calls = callers.await(Duration.ofSeconds(90));
                } finally {
                    carrier.stop();
                }
                System.out.println("SIPp through the full disk: " + calls);
                assertEquals(CALLS, calls.successfulCalls(), "every call completed while the disk was full: " + calls);
                assertEquals(0, calls.failedCalls(), calls::toString);
                await("ready with room again").atMost(Duration.ofSeconds(60)).until(() -> api.get("/health/ready").status() == 200);

                Map<String, Long> completed = completedCalls();
                assertEquals(CALLS, completed.size(), "completed calls logged");
                Map<String, Integer> cdrs = awaitCdrs(api, customerId, completed.size());
                List<String> missing = new ArrayList<>();
                completed.forEach((callId, atMs) -> {
                    Integer n = cdrs.get(callId);
                    if (n == null || n != 1) {
                        missing.add(callId + " (" + (n == null ? 0 : n) + " CDRs)");
                    }
                });
                assertEquals(List.of(), missing, "every completed call has exactly one CDR");
                String metrics = api.get("/metrics").body();
                assertTrue(metrics.contains("opentrunk_cdr_records_total{state=\"lost\"} 0.0"), metrics);
                assertTrue(metrics.contains("opentrunk_cdr_records_total{state=\"refused\"} 0.0"), metrics);

                String log = Files.readString(server.logs().resolve("messages.log"), StandardCharsets.UTF_8);
                assertTrue(log.contains("CDRs to the journal " + dataDir.resolve("cdr-journal")) && log.contains("No space left on device"),
                        "the log names the journal and the reason");
                assertTrue(log.contains("CDR journal takes records again"), "and says when it recovered");
            } finally {
                server.stopQuietly();
            }
        }
    }

    /** -XX:HeapDumpPath=logs (the server directory's, never OT_DATA_DIR) and -XX:+ExitOnOutOfMemoryError, on the running JVM. */
    private static void heapDumpsGoElsewhereAndOutOfMemoryExits(LibertyServer server) throws Exception {
        String commandLine = Files.readString(Path.of("/proc/" + server.pid() + "/cmdline")).replace('\0', ' ');
        assertTrue(commandLine.contains("-XX:HeapDumpPath=logs "), commandLine);
        assertTrue(commandLine.contains("-XX:+ExitOnOutOfMemoryError"), commandLine);
        String cwd = Files.readSymbolicLink(Path.of("/proc/" + server.pid() + "/cwd")).toString();
        assertTrue(!cwd.startsWith(Path.of("target/disk-full-data").toAbsolutePath().toString()), "heap dumps relative to " + cwd);
    }

    private static JsonObject check(JsonObject health, String name) {
        return health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> name.equals(c.getString("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + health));
    }

    /** Call-ID to the time (ms) SIPp had the 200 to its BYE. */
    private static Map<String, Long> completedCalls() throws Exception {
        Map<String, Long> completed = new HashMap<>();
        for (String line : Files.readAllLines(COMPLETED_LOG, StandardCharsets.ISO_8859_1)) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 5 && words[0].equals("completed")) {
                completed.put(words[1], Math.round(Double.parseDouble(words[words.length - 1]) * 1000));
            }
        }
        return completed;
    }

    private static Map<String, Integer> awaitCdrs(ApiClient api, long customerId, int expected) {
        Map<String, Integer>[] last = new Map[] {Map.of()};
        int[] lastSize = {-1};
        try {
            await("CDRs delivered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                List<JsonValue> cdrs = api.get("/api/v1/cdrs?customerId=" + customerId + "&limit=10000").array();
                Map<String, Integer> counted = new HashMap<>();
                for (JsonValue v : cdrs) {
                    counted.merge(v.asJsonObject().getString("customerCallId"), 1, Integer::sum);
                }
                boolean settled = cdrs.size() >= expected && cdrs.size() == lastSize[0];
                last[0] = counted;
                lastSize[0] = cdrs.size();
                return settled;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the comparison names what is missing
        }
        return last[0];
    }
}
