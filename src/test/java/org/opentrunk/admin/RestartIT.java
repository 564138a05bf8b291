package org.opentrunk.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipRegistration;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.PostgresServer;

/**
 * Provisioning survives a restart: the production server configuration, started and stopped with
 * Liberty's own commands, keeps what the API created, in the embedded database and in PostgreSQL.
 */
class RestartIT {

    private static final int HTTP_PORT = 19180;
    private static final String PASSWORD = "restart-it-secret";

    @Test
    void onTheEmbeddedDatabase() throws Exception {
        survivesRestart(Map.of());
    }

    @Test
    void onPostgresql() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            survivesRestart(Map.of("OT_DB_URL", postgres.jdbcUrl(), "OT_DB_USER", "postgres", "OT_DB_PASSWORD", "unused"));
        }
    }

    private void survivesRestart(Map<String, String> database) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "OT_SIP_HOST", "127.0.0.1", "OT_SIP_PORT", "15160", "OT_HTTP_HOST", "127.0.0.1",
                "OT_HTTP_PORT", String.valueOf(HTTP_PORT), "OT_ADMIN_PASSWORD", PASSWORD, "OT_SIP_DOMAIN", "restart.test"));
        settings.putAll(database);
        LibertyServer server = LibertyServer.create("restart-it", settings);
        ApiClient api = ApiClient.asAdmin(HTTP_PORT, PASSWORD);
        server.start();
        try {
            api.awaitUp(java.time.Duration.ofSeconds(90));
            ApiClient.Reply customer = api.post("/api/v1/customers",
                    "{\"name\":\"Survivor\",\"techPrefix\":\"55554444\",\"ips\":[\"127.0.0.77\"],\"username\":\"survivor\",\"password\":\"long-enough\"}");
            assertEquals(201, customer.status(), customer::toString);
            long id = customer.json().getJsonNumber("id").longValue();
            assertEquals(201, api.post("/api/v1/numbers", "{\"e164\":\"+12066418000\",\"customerId\":" + id
                    + ",\"routes\":[{\"type\":\"host\",\"target\":\"127.0.0.4\"}]}").status());
            assertEquals(200, api.put("/api/v1/numbers/+12066418000/cnam", "{\"name\":\"SURVIVOR INC\"}").status());
            assertEquals(201, api.post("/api/v1/carriers", "{\"name\":\"kept\",\"host\":\"127.0.0.78\",\"enabled\":false}").status());
            try (SipTestClient pbx = new SipTestClient(SipTestClient.Transport.UDP, "127.0.0.77",
                    SipTestClient.address("127.0.0.1", 15160))) {
                SipMessage registered = SipRegistration.register(pbx, "restart.test", "survivor", "long-enough",
                        "sip:pbx@192.168.5.5:5060", "Expires: 3600\r\n", java.time.Duration.ofSeconds(5));
                assertEquals(200, registered.status(), registered::toString);
            }

            server.stop();
            server.start();
            api.awaitUp(java.time.Duration.ofSeconds(90));

            ApiClient.Reply again = api.get("/api/v1/customers/" + id);
            assertEquals(200, again.status(), again::toString);
            assertEquals("Survivor", again.json().getString("name"));
            assertTrue(again.json().getBoolean("hasPassword"));
            assertEquals("SURVIVOR INC", api.get("/api/v1/numbers/+12066418000/cnam").json().getString("name"));
            assertEquals("127.0.0.4", api.get("/api/v1/numbers/+12066418000").json().getJsonArray("routes")
                    .getJsonObject(0).getString("target"));
            assertTrue(api.get("/api/v1/carriers").body().contains("\"kept\""));
            String registrations = api.get("/api/v1/registrations?customerId=" + id).body();
            assertTrue(registrations.contains("sip:pbx@192.168.5.5:5060") && registrations.contains("127.0.0.77:"),
                    () -> "the registration survives the restart: " + registrations);
        } finally {
            server.stop();
        }
        String log = Files.readString(server.logs().resolve("messages.log"));
        assertTrue(java.util.regex.Pattern.compile("database schema at version \\d+").matcher(log).find(), "Flyway ran at start-up");
    }
}
