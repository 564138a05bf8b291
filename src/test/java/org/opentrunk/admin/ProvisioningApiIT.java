package org.opentrunk.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrunk.admin.CarriersApiIT.assertField;

import java.util.concurrent.ThreadLocalRandom;
import javax.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.ApiClient.Reply;
import org.opentrunk.testing.TrunkUnderTest;

/** {@code /api/v1/customers}, {@code /numbers} with CNAM storage, {@code /cdrs}, {@code /calls}. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ProvisioningApiIT {

    private final ApiClient api = ApiClient.asAdmin();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    /** A tech prefix and a loopback IP no other test uses (the database outlives runs). */
    private static String freshPrefix() {
        return String.valueOf(ThreadLocalRandom.current().nextInt(20_000_000, 99_999_999));
    }

    private static String freshIp() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "127." + r.nextInt(100, 250) + "." + r.nextInt(1, 250) + "." + r.nextInt(1, 250);
    }

    /** A US number in a real area code that no other run is likely to pick. */
    private static String freshNumber() {
        return "+1206" + ThreadLocalRandom.current().nextInt(2_000_000, 9_999_999);
    }

    private long createCustomer(String extra) throws Exception {
        Reply r = api.post("/api/v1/customers", "{\"name\":\"Acme\",\"techPrefix\":\"" + freshPrefix()
                + "\",\"ips\":[\"" + freshIp() + "\"]" + extra + "}");
        assertEquals(201, r.status(), r::toString);
        return r.json().getJsonNumber("id").longValue();
    }

    @Test
    void customerLifecycleWithWriteOnlyPassword() throws Exception {
        String prefix = freshPrefix();
        String ip = freshIp();
        Reply created = api.post("/api/v1/customers", "{\"name\":\"Acme PBX\",\"techPrefix\":\"" + prefix + "\",\"ips\":[\""
                + ip + "\"],\"username\":\"acme" + prefix + "\",\"password\":\"s3cret-pass\",\"allowedPrefixes\":[\"+1\"]}");
        assertEquals(201, created.status(), created::toString);
        JsonObject c = created.json();
        long id = c.getJsonNumber("id").longValue();
        assertEquals(prefix, c.getString("techPrefix"));
        assertEquals(30, c.getInt("maxChannels"), "default channel limit");
        assertEquals(5, c.getInt("maxCps"), "default CPS limit");
        assertFalse(c.getBoolean("anchorMedia"));
        assertTrue(c.getBoolean("hasPassword"));
        assertFalse(created.body().contains("s3cret-pass"), "the password is never returned");
        assertFalse(c.containsKey("password"));
        assertEquals("[\"+1\"]", c.getJsonArray("allowedPrefixes").toString());

        Reply updated = api.put("/api/v1/customers/" + id, "{\"name\":\"Acme Corp\",\"techPrefix\":\"" + prefix
                + "\",\"ips\":[\"" + ip + "\"],\"username\":\"acme" + prefix + "\",\"maxChannels\":5,\"anchorMedia\":true}");
        assertEquals(200, updated.status(), updated::toString);
        assertTrue(updated.json().getBoolean("hasPassword"), "credentials kept when no password is sent");
        assertEquals(5, updated.json().getInt("maxChannels"));
        assertEquals("Acme Corp", api.get("/api/v1/customers/" + id).json().getString("name"));

        assertEquals(204, api.delete("/api/v1/customers/" + id).status());
        assertEquals(404, api.get("/api/v1/customers/" + id).status());
    }

    @Test
    void customerValidationNamesTheField() throws Exception {
        assertField(api.post("/api/v1/customers", "{\"name\":\"A\",\"techPrefix\":\"1234567\",\"ips\":[]}"), 422, "techPrefix");
        assertField(api.post("/api/v1/customers", "{\"name\":\"A\",\"techPrefix\":\"1234567a\",\"ips\":[]}"), 422, "techPrefix");
        assertField(api.post("/api/v1/customers", "{\"name\":\"A\",\"techPrefix\":\"" + freshPrefix() + "\",\"ips\":[\"300.1.1.1\"]}"), 422, "ips");
        assertField(api.post("/api/v1/customers", "{\"name\":\"A\",\"techPrefix\":\"" + freshPrefix() + "\",\"ips\":[\"::1\"]}"), 422, "ips");
        assertField(api.post("/api/v1/customers", "{\"name\":\"A\",\"techPrefix\":\"" + freshPrefix() + "\",\"allowedPrefixes\":[\"1\"]}"), 422, "allowedPrefixes");
        assertField(api.post("/api/v1/customers", "{\"name\":\"A\",\"techPrefix\":\"" + freshPrefix() + "\",\"username\":\"u" + freshPrefix() + "\",\"password\":\"short\"}"), 422, "password");
        assertField(api.post("/api/v1/customers", "{\"name\":\"A\",\"techPrefix\":\"" + freshPrefix() + "\",\"maxChannels\":-1}"), 422, "maxChannels");

        String prefix = freshPrefix();
        String ip = freshIp();
        assertEquals(201, api.post("/api/v1/customers", "{\"name\":\"A\",\"techPrefix\":\"" + prefix + "\",\"ips\":[\"" + ip + "\"]}").status());
        assertField(api.post("/api/v1/customers", "{\"name\":\"B\",\"techPrefix\":\"" + prefix + "\"}"), 409, "techPrefix");
        // IC-SHARED-IP: another customer may send from the same address (its tech prefix tells them apart).
        assertEquals(201, api.post("/api/v1/customers", "{\"name\":\"B\",\"techPrefix\":\"" + freshPrefix() + "\",\"ips\":[\"" + ip + "\"]}").status());
    }

    @Test
    void countryCallerIdPolicyVerifiedNumbersAndDigestAlgorithms() throws Exception {
        String base = "{\"name\":\"N\",\"techPrefix\":\"";
        assertField(api.post("/api/v1/customers", base + freshPrefix() + "\",\"country\":\"UK\"}"), 422, "country");
        assertField(api.post("/api/v1/customers", base + freshPrefix() + "\",\"callerIdPolicy\":\"mine\"}"), 422, "callerIdPolicy");
        assertField(api.post("/api/v1/customers", base + freshPrefix() + "\",\"verifiedNumbers\":[\"02079460000\"]}"), 422, "verifiedNumbers");
        assertField(api.post("/api/v1/customers", base + freshPrefix() + "\",\"digestAlgorithms\":[\"SHA-512\"]}"), 422, "digestAlgorithms");
        assertField(api.post("/api/v1/carriers", "{\"name\":\"x" + freshPrefix() + "\",\"host\":\"192.0.2.1\",\"country\":\"XX\"}"), 422, "country");

        Reply created = api.post("/api/v1/customers", base + freshPrefix() + "\",\"country\":\"gb\",\"callerIdPolicy\":\"OWN\","
                + "\"verifiedNumbers\":[\"442079460001\",\"+44 20 7946 0001\",\"+12065550100\"],\"digestAlgorithms\":[\"sha-256\",\"MD5\"]}");
        assertEquals(201, created.status(), created::toString);
        JsonObject customer = created.json();
        assertEquals("GB", customer.getString("country"));
        assertEquals("own", customer.getString("callerIdPolicy"));
        assertEquals("[\"+12065550100\",\"+442079460001\"]", customer.getJsonArray("verifiedNumbers").toString());
        assertEquals("[\"SHA-256\",\"MD5\"]", customer.getJsonArray("digestAlgorithms").toString());
        assertEquals(0, customer.getInt("callerIdRefusals"));
        Reply defaults = api.post("/api/v1/customers", base + freshPrefix() + "\"}");
        assertEquals("any", defaults.json().getString("callerIdPolicy"));
        assertTrue(!defaults.json().containsKey("country") || defaults.json().isNull("country"), defaults::toString);
        assertEquals("[]", defaults.json().getJsonArray("digestAlgorithms").toString());

        Reply carrier = api.post("/api/v1/carriers", "{\"name\":\"e" + freshPrefix() + "\",\"host\":\"192.0.2.1\","
                + "\"country\":\"us\",\"emergency\":true}");
        assertEquals(201, carrier.status(), carrier::toString);
        assertEquals("US", carrier.json().getString("country"));
        assertTrue(carrier.json().getBoolean("emergency"));
        assertEquals(204, api.delete("/api/v1/carriers/" + carrier.json().getJsonNumber("id")).status());
    }

    @Test
    void numberWithRoutesInE164() throws Exception {
        long customer = createCustomer("");
        String national = freshNumber().substring(1); // without '+': accepted, stored with it
        Reply created = api.post("/api/v1/numbers", "{\"e164\":\"" + national + "\",\"customerId\":" + customer
                + ",\"cnamLookup\":true,\"routes\":[{\"type\":\"host\",\"target\":\"127.0.0.4:5060;transport=tcp\",\"priority\":10},"
                + "{\"type\":\"srv\",\"target\":\"pbx.example.net\",\"priority\":20},{\"type\":\"registration\",\"target\":\"\"}]}");
        assertEquals(201, created.status(), created::toString);
        String e164 = "+" + national;
        assertEquals(e164, created.json().getString("e164"));
        assertTrue(created.header("Location").orElse("").endsWith("/api/v1/numbers/" + e164.replace("+", "%2B"))
                || created.header("Location").orElse("").endsWith("/api/v1/numbers/" + e164), created.raw().headers()::toString);
        assertEquals(3, created.json().getJsonArray("routes").size());
        assertEquals("srv", created.json().getJsonArray("routes").getJsonObject(1).getString("type"));

        JsonObject read = api.get("/api/v1/numbers/" + national).json();
        assertTrue(read.getBoolean("cnamLookup"));
        assertEquals("127.0.0.4:5060;transport=tcp", read.getJsonArray("routes").getJsonObject(0).getString("target"));
        assertTrue(api.get("/api/v1/numbers?customerId=" + customer).body().contains(e164));
        assertTrue(api.get("/api/v1/numbers?search=" + national.substring(4)).body().contains(e164));

        assertField(api.post("/api/v1/numbers", "{\"e164\":\"" + e164 + "\",\"customerId\":" + customer + "}"), 409, "e164");
        assertEquals(409, api.delete("/api/v1/customers/" + customer).status(), "a customer with numbers stays");
        assertEquals(204, api.delete("/api/v1/numbers/" + national).status());
        assertEquals(404, api.get("/api/v1/numbers/" + national).status());
    }

    @Test
    void numberValidation() throws Exception {
        long customer = createCustomer("");
        assertField(api.post("/api/v1/numbers", "{\"e164\":\"+1206\",\"customerId\":" + customer + "}"), 422, "e164");
        assertField(api.post("/api/v1/numbers", "{\"e164\":\"+999123456789\",\"customerId\":" + customer + "}"), 422, "e164");
        assertField(api.post("/api/v1/numbers", "{\"e164\":\"hello\",\"customerId\":" + customer + "}"), 422, "e164");
        assertField(api.post("/api/v1/numbers", "{\"e164\":\"" + freshNumber() + "\",\"customerId\":987654321}"), 422, "customerId");
        assertField(api.post("/api/v1/numbers", "{\"e164\":\"" + freshNumber() + "\",\"customerId\":" + customer
                + ",\"routes\":[{\"type\":\"carrier-pigeon\",\"target\":\"x\"}]}"), 422, "routes[0].type");
        assertField(api.post("/api/v1/numbers", "{\"e164\":\"" + freshNumber() + "\",\"customerId\":" + customer
                + ",\"routes\":[{\"type\":\"host\",\"target\":\"127.0.0.4:99999\"}]}"), 422, "routes[0].target");
        assertField(api.post("/api/v1/numbers", "{\"e164\":\"" + freshNumber() + "\",\"customerId\":" + customer
                + ",\"routes\":[{\"type\":\"uri\",\"target\":\"http://x\"}]}"), 422, "routes[0].target");
        assertField(api.post("/api/v1/numbers", "{\"e164\":\"" + freshNumber() + "\",\"customerId\":" + customer
                + ",\"routes\":[{\"type\":\"srv\",\"target\":\"not a domain\"}]}"), 422, "routes[0].target");
    }

    @Test
    @Tag("IC-CNAM-OUT")
    void cnamStorageFollowsTheRules() throws Exception {
        long customer = createCustomer("");
        String us = freshNumber();
        assertEquals(201, api.post("/api/v1/numbers", "{\"e164\":\"" + us + "\",\"customerId\":" + customer + "}").status());
        Reply stored = api.put("/api/v1/numbers/" + us + "/cnam", "{\"name\":\"ACME CORP\"}");
        assertEquals(200, stored.status(), stored::toString);
        assertEquals("ACME CORP", api.get("/api/v1/numbers/" + us + "/cnam").json().getString("name"));
        assertEquals("ACME CORP", api.get("/api/v1/numbers/" + us).json().getString("cnamName"));
        assertField(api.put("/api/v1/numbers/" + us + "/cnam", "{\"name\":\"A NAME FAR TOO LONG\"}"), 422, "name");
        assertField(api.put("/api/v1/numbers/" + us + "/cnam", "{\"name\":\"Caf\u00e9 <script>\"}"), 422, "name");
        assertEquals(204, api.delete("/api/v1/numbers/" + us + "/cnam").status());
        assertEquals(404, api.get("/api/v1/numbers/" + us + "/cnam").status());

        String tollFree = "+18005550" + ThreadLocalRandom.current().nextInt(100, 999);
        String canadian = "+1416555" + ThreadLocalRandom.current().nextInt(1000, 9999);
        for (String number : new String[] {tollFree, canadian}) {
            api.delete("/api/v1/numbers/" + number); // a local test database outlives runs; these ranges are small
            assertEquals(201, api.post("/api/v1/numbers", "{\"e164\":\"" + number + "\",\"customerId\":" + customer + "}").status());
            Reply refused = api.put("/api/v1/numbers/" + number + "/cnam", "{\"name\":\"ACME\"}");
            assertField(refused, 422, "e164");
            assertTrue(refused.json().getString("error").contains("cannot hold CNAM"), refused::toString);
        }
    }

    @Test
    @Tag("IC-CDR")
    void cdrsAsJsonAndCsv() throws Exception {
        Reply json = api.get("/api/v1/cdrs?limit=5");
        assertEquals(200, json.status(), json::toString);
        assertTrue(json.header("Content-Type").orElse("").startsWith("application/json"), "JSON without an Accept header");
        assertTrue(json.array().size() <= 5);
        Reply csv = api.get("/api/v1/cdrs?since=2026-01-01T00:00:00Z", "text/csv");
        assertEquals(200, csv.status(), csv::toString);
        String[] lines = csv.body().split("\r\n");
        assertEquals(CdrCsv.HEADER, lines[0]);
        int columns = CdrCsv.HEADER.split(",").length;
        for (int i = 1; i < lines.length; i++) {
            assertTrue(lines[i].split(",", -1).length >= columns, lines[i]);
        }
        assertField(api.get("/api/v1/cdrs?since=yesterday"), 422, "since");
        assertField(api.get("/api/v1/cdrs?limit=0"), 422, "limit");
        assertField(api.get("/api/v1/cdrs?number=abc"), 422, "number");
        // IC-EMERGENCY: the filter runs on the server's database, and every CDR carries the flag
        for (boolean emergency : new boolean[] {true, false}) {
            Reply filtered = api.get("/api/v1/cdrs?emergency=" + emergency);
            assertEquals(200, filtered.status(), filtered::toString);
            filtered.array().forEach(c -> assertEquals(emergency, c.asJsonObject().getBoolean("emergency"), c::toString));
        }
        assertField(api.get("/api/v1/cdrs?emergency=maybe"), 422, "emergency");
        assertEquals(401, ApiClient.anonymous().get("/api/v1/cdrs").status());
    }

    @Test
    void liveCallsAndOpenApi() throws Exception {
        Reply calls = api.get("/api/v1/calls");
        assertEquals(200, calls.status(), calls::toString);
        calls.array(); // a JSON array, possibly empty
        Reply openapi = ApiClient.anonymous().get("/openapi");
        assertEquals(200, openapi.status());
        for (String path : new String[] {"/api/v1/customers", "/api/v1/carriers", "/api/v1/numbers", "/api/v1/numbers/{e164}/cnam",
                "/api/v1/cdrs", "/api/v1/calls"}) {
            assertTrue(openapi.body().contains(path), () -> "OpenAPI describes " + path);
        }
        for (String field : new String[] {"country", "callerIdPolicy", "verifiedNumbers", "digestAlgorithms", "emergency"}) {
            assertTrue(openapi.body().contains(field), () -> "OpenAPI describes the field " + field);
        }
    }
}
