package org.opentrunk.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.json.JsonObject;
import javax.json.JsonValue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.DigestClient;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.PostgresServer;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.Sipp;

/**
 * Issue 25, database down mid-traffic: while SIPp calls go through the node (5 a second) and a PBX
 * refreshes its registration every second, PostgreSQL is first stopped (connections refused) and,
 * once back, black-holed (every PostgreSQL process SIGSTOPped: connections accepted by the kernel,
 * nothing answers, pooled connections hang), about a minute in all. Calls go on (every SIPp call
 * completes), every completed call has exactly one CDR once the database is back (journaled
 * meanwhile), each REGISTER is answered 200 quickly (at most the writer's 2 s bound for the first
 * ones after the database went away, none held longer), the refresh made while the database was
 * black-holed reaches it afterwards, and /health/ready says 503 with the database check down
 * during each phase and 200 after.
 */
@Tag("IC-CDR")
class DatabaseOutageIT {

    private static final String SIP_HOST = "127.0.0.185";
    private static final int SIP_PORT = 20993;
    private static final int HTTP_PORT = 16971;
    private static final String PASSWORD = "db-outage-it-secret";
    private static final String DOMAIN = "outage.test";
    private static final String PBX = "127.0.0.186";
    private static final String CARRIER = "127.0.0.187";
    private static final int CARRIER_PORT = 20994;
    private static final String REGISTERED = "127.0.0.188";
    private static final String PREFIX = "18618618";
    private static final String USER = "outage-pbx";
    private static final String SECRET = "outage-secret-1";
    private static final int REGISTER_EXPIRES = 60;

    private static final int CALLS_PER_SECOND = 5;
    private static final int CALLS = 300; // a minute of calls at 5 a second
    private static final Duration BEFORE = Duration.ofSeconds(4);
    private static final Duration STOPPED = Duration.ofSeconds(20);
    private static final Duration BLACK_HOLED = Duration.ofSeconds(20);
    /** The longest a REGISTER may take: the writer's bound (2 s) while it finds the database gone, and the round trip. */
    private static final Duration REGISTER_LIMIT = Duration.ofMillis(2_600);
    /** Readiness follows within a refresh (1 s) and a check bound (2 s). */
    private static final Duration HEALTH_FOLLOWS = Duration.ofSeconds(10);
    private static final Path COMPLETED_LOG = Sipp.OUTPUT.resolve("db-outage-pbx-completed.log").toAbsolutePath();

    /** One REGISTER's answer, when it was sent and how long it took. */
    private record Registered(long sentMs, long tookMs, int status, String phase) {
    }

    @Test
    void callsRegistrationsAndCdrsRideOutADatabaseOutage() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            LibertyServer server = LibertyServer.trunk("db-outage-it", SIP_HOST, SIP_PORT, HTTP_PORT, PASSWORD, DOMAIN,
                    "OT_DB_URL", postgres.jdbcUrl(), "OT_DB_USER", "postgres", "OT_DB_PASSWORD", "unused",
                    "OT_FRAUD_GUARD_CALLS_PER_MINUTE", "0");
            ApiClient api = ApiClient.asAdmin(HTTP_PORT, PASSWORD);
            server.start();
            List<Registered> registers = new CopyOnWriteArrayList<>();
            AtomicBoolean registering = new AtomicBoolean(true);
            AtomicLong lastRegisterMs = new AtomicLong();
            String[] phase = {"before"};
            try (SipTestClient pbx = new SipTestClient(Transport.UDP, REGISTERED, SipTestClient.address(SIP_HOST, SIP_PORT))) {
                api.awaitUp(Duration.ofSeconds(90));
                await("ready").atMost(Duration.ofSeconds(30)).until(() -> api.get("/health/ready").status() == 200);
                assertEquals(201, api.post("/api/v1/carriers", "{\"name\":\"gw\",\"host\":\"" + CARRIER + "\",\"port\":"
                        + CARRIER_PORT + "}").status());
                ApiClient.Reply caller = api.post("/api/v1/customers", "{\"name\":\"Calling PBX\",\"techPrefix\":\"" + PREFIX
                        + "\",\"ips\":[\"" + PBX + "\"],\"maxChannels\":100,\"maxCps\":100}");
                assertEquals(201, caller.status(), caller::toString);
                long customerId = caller.json().getJsonNumber("id").longValue();
                ApiClient.Reply registeredCustomer = api.post("/api/v1/customers", "{\"name\":\"Registered PBX\","
                        + "\"techPrefix\":\"18818818\",\"username\":\"" + USER + "\",\"password\":\"" + SECRET + "\"}");
                assertEquals(201, registeredCustomer.status(), registeredCustomer::toString);
                assertEquals(200, register(pbx).status(), "registered while the database is up");

                Thread refresher = new Thread(() -> {
                    while (registering.get()) {
                        long sent = System.currentTimeMillis();
                        long start = System.nanoTime();
                        int status;
                        try {
                            status = register(pbx).status();
                        } catch (Exception | AssertionError e) {
                            status = -1;
                        }
                        registers.add(new Registered(sent, (System.nanoTime() - start) / 1_000_000, status, phase[0]));
                        lastRegisterMs.set(sent);
                        try {
                            Thread.sleep(1_000); // a refresh a second: pacing, not polling
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "register-refresher");
                refresher.setDaemon(true);

                Files.deleteIfExists(COMPLETED_LOG);
                Sipp carrier = Sipp.scenario("db-outage-carrier", "uas-answers.xml").bind(CARRIER, CARRIER_PORT).udp()
                        .calls(CALLS, CALLS_PER_SECOND, 100).timeout(Duration.ofSeconds(150)).start(null);
                Sipp.Result calls;
                long thawedAtMs;
                long lastBlackHoledRegisterMs;
                try {
                    Sipp callers = Sipp.scenario("db-outage-pbx", "uac-caller-hangs-up-logged.xml").bind(PBX).udp()
                            .dialing(PREFIX + "*+12066418186").calls(CALLS, CALLS_PER_SECOND, 100)
                            .callLength(Duration.ofMillis(1_000)).timeout(Duration.ofSeconds(150))
                            .args("-trace_logs", "-log_file", COMPLETED_LOG.toString())
                            .start(SIP_HOST + ":" + SIP_PORT);
                    refresher.start();
                    Thread.sleep(BEFORE.toMillis()); // traffic with the database up

                    phase[0] = "stopped";
                    postgres.stop();
                    long stoppedAt = System.nanoTime();
                    notReadyWithTheDatabaseDown(api, "stopped");
                    Thread.sleep(Math.max(0, STOPPED.toMillis() - (System.nanoTime() - stoppedAt) / 1_000_000));
                    postgres.restart();
                    phase[0] = "restarted";
                    await("ready after the restart").atMost(Duration.ofSeconds(30))
                            .until(() -> api.get("/health/ready").status() == 200);
                    // the registrations kept while it was stopped are written again (the writer retries every 5 s),
                    // so the black hole finds the writer writing, as a database that hangs without warning would
                    registrationWritten(postgres, System.currentTimeMillis());

                    phase[0] = "black-holed";
                    postgres.freeze();
                    long frozenAt = System.nanoTime();
                    notReadyWithTheDatabaseDown(api, "black-holed");
                    Thread.sleep(Math.max(0, BLACK_HOLED.toMillis() - (System.nanoTime() - frozenAt) / 1_000_000));
                    registering.set(false);
                    refresher.join(10_000);
                    lastBlackHoledRegisterMs = lastRegisterMs.get();
                    thawedAtMs = System.currentTimeMillis();
                    postgres.thaw();
                    phase[0] = "after";
                    calls = callers.await(Duration.ofSeconds(90));
                } finally {
                    registering.set(false);
                    carrier.stop();
                }
                System.out.println("SIPp through the outage: " + calls);
                assertEquals(CALLS, calls.successfulCalls(), "every call completed through the outage: " + calls);
                assertEquals(0, calls.failedCalls(), calls::toString);

                await("ready after the black hole").atMost(Duration.ofSeconds(60))
                        .until(() -> api.get("/health/ready").status() == 200);

                registrationsWereAnsweredQuickly(registers);
                theRefreshMadeInTheBlackHoleReachedTheDatabase(postgres, lastBlackHoledRegisterMs);

                Map<String, Long> completed = completedCalls();
                assertEquals(CALLS, completed.size(), "completed calls logged");
                Map<String, Integer> cdrs = awaitCdrs(api, customerId, completed.size());
                List<String> missing = new ArrayList<>();
                completed.forEach((callId, atMs) -> {
                    Integer n = cdrs.get(callId);
                    if (n == null || n != 1) {
                        missing.add(callId + " (" + (n == null ? 0 : n) + " CDRs, completed " + (atMs - thawedAtMs) + " ms from the thaw)");
                    }
                });
                assertEquals(List.of(), missing, "every completed call has exactly one CDR");
                await("no CDR left pending").atMost(Duration.ofSeconds(10))
                        .until(() -> api.get("/metrics").body().contains("\nopentrunk_cdr_pending 0.0"));
            } finally {
                postgres.thawIfFrozen(); // a server cannot stop while its database connections hang
                server.stopQuietly();
            }
        }
    }

    /** /health/ready goes 503 naming the database, answering within its bound, while calls go on. */
    private static void notReadyWithTheDatabaseDown(ApiClient api, String how) {
        await("not ready, database " + how).atMost(HEALTH_FOLLOWS).until(() -> api.get("/health/ready").status() == 503);
        long start = System.nanoTime();
        ApiClient.Reply ready;
        try {
            ready = api.get("/health/ready");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        long took = (System.nanoTime() - start) / 1_000_000;
        assertEquals(503, ready.status(), ready::toString);
        assertTrue(took < 4_000, "/health/ready answered in " + took + " ms");
        JsonObject database = ready.json().getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> "database".equals(c.getString("name"))).findFirst().orElseThrow();
        assertEquals("DOWN", database.getString("status"), ready::body);
        System.out.println("database " + how + ": /health/ready " + ready.status() + " in " + took + " ms: " + database);
    }

    private static void registrationsWereAnsweredQuickly(List<Registered> registers) {
        Map<String, List<Long>> byPhase = new HashMap<>();
        registers.forEach(r -> byPhase.computeIfAbsent(r.phase(), k -> new ArrayList<>()).add(r.tookMs()));
        System.out.println("REGISTER round trips (ms) by phase: " + byPhase);
        List<Registered> bad = registers.stream().filter(r -> r.status() != 200 || r.tookMs() > REGISTER_LIMIT.toMillis()).toList();
        assertEquals(List.of(), bad, "every REGISTER answered 200 within " + REGISTER_LIMIT.toMillis() + " ms");
        for (String outage : List.of("stopped", "black-holed")) {
            List<Long> took = byPhase.getOrDefault(outage, List.of());
            assertTrue(took.size() >= 10, "refreshes during " + outage + ": " + took);
            long slow = took.stream().filter(ms -> ms > 500).count();
            assertTrue(slow <= 2, "once the database is known down no REGISTER waits for it (" + outage + "): " + took);
        }
    }

    private static void theRefreshMadeInTheBlackHoleReachedTheDatabase(PostgresServer postgres, long lastRefreshMs) {
        registrationWritten(postgres, lastRefreshMs);
    }

    /** Waits until the database holds a binding refreshed at {@code refreshedAtMs} or later. */
    private static void registrationWritten(PostgresServer postgres, long refreshedAtMs) {
        long atLeast = refreshedAtMs + REGISTER_EXPIRES * 1000L - 2_000;
        await("a refresh of " + refreshedAtMs + " written").atMost(Duration.ofSeconds(30)).until(() -> {
            try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT max(expires_at_ms) FROM registration")) {
                return r.next() && r.getLong(1) >= atLeast;
            }
        });
    }

    private static SipMessage register(SipTestClient pbx) throws Exception {
        String aor = "sip:" + USER + "@" + DOMAIN;
        Duration wait = Duration.ofSeconds(5);
        SipMessage challenge = pbx.request(registerRequest(pbx, aor, ""), wait);
        if (challenge.status() != 401) {
            return challenge;
        }
        String credentials = "Authorization: " + DigestClient.answer(challenge.headers("WWW-Authenticate").get(0), "REGISTER",
                "sip:" + DOMAIN, USER, SECRET, 1) + "\r\n";
        return pbx.request(registerRequest(pbx, aor, credentials), wait);
    }

    private static String registerRequest(SipTestClient pbx, String aor, String credentials) {
        return pbx.newRequest("REGISTER", "sip:" + DOMAIN, "Expires: " + REGISTER_EXPIRES + "\r\n" + credentials, "")
                .replaceFirst("From: <[^>]*>", "From: <" + aor + ">").replaceFirst("To: <[^>]*>", "To: <" + aor + ">");
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

    /** The customer's CDRs by Call-ID, once the count has reached {@code expected} and stopped growing. */
    private static Map<String, Integer> awaitCdrs(ApiClient api, long customerId, int expected) {
        Map<String, Integer>[] last = new Map[] {Map.of()};
        int[] lastSize = {-1};
        try {
            await("CDRs delivered after the outage").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
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
            // the comparison below names what is missing
        }
        return last[0];
    }
}
