package org.opentrunk.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.PostgresServer;
import org.opentrunk.testing.SipTestClient;

/**
 * Health that means something (issue 26), on a server of its own with a PostgreSQL that the test
 * stops and starts: /health/live and /health/ready name their checks; with the database gone,
 * ready (and /health) answer 503 naming it, within their bound, while live stays 200 (an
 * orchestrator must not kill a node for its database), and an OPTIONS, as a load balancer sends,
 * is answered 503; both recover when the database is back.
 */
class HealthIT {

    private static final String SIP_HOST = "127.0.0.130";
    private static final int SIP_PORT = 16460;
    private static final int HTTP_PORT = 20480;
    private static final String PASSWORD = "health-it-secret";
    private static final String DOMAIN = "health.test";
    /** The load balancer probing the node. */
    private static final String BALANCER = "127.0.0.131";
    private static final List<String> READY_CHECKS = List.of("database", "configuration", "cdr-journal", "media-relay", "sip",
            "stir");
    /** The checks' bound (2 s) and the HTTP round trip. */
    private static final Duration ANSWER_LIMIT = Duration.ofSeconds(4);
    /** A readiness change reaches the OPTIONS answer within a refresh (1 s) and a check bound (2 s). */
    private static final Duration CHANGE_LIMIT = Duration.ofSeconds(20);

    @Test
    void readinessFollowsTheDatabaseWhileLivenessDoesNot() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            LibertyServer server = LibertyServer.trunk("health-it", SIP_HOST, SIP_PORT, HTTP_PORT, PASSWORD, DOMAIN,
                    "OT_DB_URL", postgres.jdbcUrl(), "OT_DB_USER", "postgres", "OT_DB_PASSWORD", "unused");
            ApiClient http = ApiClient.asAdmin(HTTP_PORT, PASSWORD);
            server.start();
            try (SipTestClient balancer = new SipTestClient(SipTestClient.Transport.UDP, BALANCER,
                    SipTestClient.address(SIP_HOST, SIP_PORT))) {
                http.awaitUp(Duration.ofSeconds(90));

                // Up: every check named and up, on all three paths; the load balancer's OPTIONS gets 200.
                await("ready").atMost(CHANGE_LIMIT).until(() -> http.get("/health/ready").status() == 200);
                ApiClient.Reply ready = http.get("/health/ready");
                assertEquals("application/json", ready.header("Content-Type").orElse("").split(";")[0]);
                assertEquals(READY_CHECKS, names(ready.json()));
                assertEquals(Map.of("database", "UP", "configuration", "UP", "cdr-journal", "UP", "media-relay", "UP", "sip", "UP",
                "stir", "UP"),
                        statuses(ready.json()), ready::body);
                assertEquals("UP", ready.json().getString("status"));
                assertTrue(check(ready.json(), "sip").getString("detail").contains("answered OPTIONS \"200 OK\""), ready::body);
                ApiClient.Reply live = http.get("/health/live");
                assertEquals(200, live.status(), live::toString);
                assertEquals(Map.of("deadlocks", "UP"), statuses(live.json()));
                assertEquals(200, http.get("/health").status(), "/health is ready's alias");
                assertEquals(200, options(balancer));

                // The database goes away: not ready, naming it, within the bound; still live.
                postgres.stop();
                await("not ready").atMost(CHANGE_LIMIT).until(() -> http.get("/health/ready").status() == 503);
                long start = System.nanoTime();
                ApiClient.Reply notReady = http.get("/health/ready");
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertEquals(503, notReady.status(), notReady::toString);
                assertTrue(took.compareTo(ANSWER_LIMIT) < 0, "answered in " + took);
                assertEquals("DOWN", notReady.json().getString("status"));
                assertEquals("DOWN", check(notReady.json(), "database").getString("status"), notReady::body);
                assertEquals("UP", check(notReady.json(), "cdr-journal").getString("status"), notReady::body);
                assertEquals("UP", check(notReady.json(), "media-relay").getString("status"), notReady::body);
                assertEquals("UP", check(notReady.json(), "sip").getString("status"), "503 is an answer: " + notReady.body());
                assertEquals(503, http.get("/health").status());
                ApiClient.Reply stillLive = http.get("/health/live");
                assertEquals(200, stillLive.status(), stillLive::toString);
                await("OPTIONS 503").atMost(CHANGE_LIMIT).until(() -> options(balancer) == 503);
                // the SIP check's own OPTIONS now gets the 503 too, and still counts as an answer
                ApiClient.Reply sip = http.get("/health/ready");
                assertEquals("UP", check(sip.json(), "sip").getString("status"), sip::body);
                assertTrue(check(sip.json(), "sip").getString("detail").contains("\"503 Service Unavailable (Not Ready)\""),
                        sip::body);

                // The database is back: ready and 200 to OPTIONS again.
                postgres.restart();
                await("ready again").atMost(Duration.ofSeconds(60)).until(() -> http.get("/health/ready").status() == 200);
                for (int i = 0; i < 5; i++) { // and stays so: a dead connection left in the pool is no outage
                    ApiClient.Reply back = http.get("/health/ready");
                    assertEquals(200, back.status(), back::body);
                }
                await("OPTIONS 200").atMost(CHANGE_LIMIT).until(() -> options(balancer) == 200);
            } finally {
                server.stop();
            }
        }
    }

    /** Issue 25: a node whose database is down at start comes up not ready, and ready once it answers. */
    @Test
    void aNodeStartsWithItsDatabaseDownAndBecomesReadyWhenItAnswers() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            postgres.stop();
            LibertyServer server = LibertyServer.trunk("health-nodb-it", SIP_HOST, SIP_PORT, HTTP_PORT, PASSWORD, DOMAIN,
                    "OT_DB_URL", postgres.jdbcUrl(), "OT_DB_USER", "postgres", "OT_DB_PASSWORD", "unused");
            ApiClient http = ApiClient.asAdmin(HTTP_PORT, PASSWORD);
            server.start();
            try (SipTestClient balancer = new SipTestClient(SipTestClient.Transport.UDP, BALANCER,
                    SipTestClient.address(SIP_HOST, SIP_PORT))) {
                await("live").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .ignoreExceptionsInstanceOf(java.io.IOException.class)
                        .until(() -> http.get("/health/live").status() == 200);
                ApiClient.Reply notReady = http.get("/health/ready");
                assertEquals(503, notReady.status(), notReady::toString);
                assertEquals("DOWN", check(notReady.json(), "database").getString("status"), notReady::body);
                assertEquals("DOWN", check(notReady.json(), "configuration").getString("status"), notReady::body);
                assertTrue(check(notReady.json(), "configuration").getString("detail").contains("database"), notReady::body);
                await("OPTIONS 503").atMost(CHANGE_LIMIT).until(() -> options(balancer) == 503);

                postgres.restart();
                await("ready once the database answers").atMost(Duration.ofSeconds(60))
                        .until(() -> http.get("/health/ready").status() == 200);
                assertEquals("UP", check(http.get("/health/ready").json(), "configuration").getString("status"));
                assertEquals(200, http.get("/api/v1/carriers").status(), "the schema is there and the API works");
                await("OPTIONS 200").atMost(CHANGE_LIMIT).until(() -> options(balancer) == 200);
            } finally {
                server.stop();
            }
        }
    }

    private static int options(SipTestClient balancer) throws Exception {
        return balancer.request(balancer.newRequest("OPTIONS", "sip:" + SIP_HOST + ":" + SIP_PORT, "", ""),
                Duration.ofSeconds(5)).status();
    }

    private static List<String> names(JsonObject health) {
        return health.getJsonArray("checks").getValuesAs(JsonObject.class).stream().map(c -> c.getString("name")).toList();
    }

    private static Map<String, String> statuses(JsonObject health) {
        return health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(c -> c.getString("name"), c -> c.getString("status")));
    }

    private static JsonObject check(JsonObject health, String name) {
        return health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> name.equals(c.getString("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + health));
    }
}
