package org.opentrunk.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import javax.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.ApiClient.Reply;
import org.opentrunk.testing.TrunkUnderTest;

/**
 * {@code /api/v1/carriers}: CRUD, defaults, validation, and authentication. Every carrier made here
 * is disabled, on a loopback address, and deleted again: the trunk under test must never route a
 * call anywhere but the test network.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CarriersApiIT {

    private final ApiClient api = ApiClient.asAdmin();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createReadUpdateDelete() throws Exception {
        String name = unique("gw");
        Reply created = api.post("/api/v1/carriers", "{\"name\":\"" + name + "\",\"host\":\"127.0.0.50\",\"enabled\":false}");
        assertEquals(201, created.status(), created::toString);
        JsonObject carrier = created.json();
        long id = carrier.getJsonNumber("id").longValue();
        assertTrue(created.header("Location").orElse("").endsWith("/api/v1/carriers/" + id), created.raw().headers()::toString);
        assertEquals(5060, carrier.getInt("port"));
        assertEquals("udp", carrier.getString("transport"));
        assertEquals(10, carrier.getInt("priority"));
        assertEquals(1, carrier.getInt("weight"));
        assertEquals(false, carrier.getBoolean("enabled"));

        assertEquals(name, api.get("/api/v1/carriers/" + id).json().getString("name"));
        assertTrue(api.get("/api/v1/carriers").body().contains(name));

        Reply updated = api.put("/api/v1/carriers/" + id, "{\"name\":\"" + name + "\",\"host\":\"gw.carrier.test\","
                + "\"port\":5080,\"transport\":\"TCP\",\"priority\":5,\"weight\":3,\"enabled\":false}");
        assertEquals(200, updated.status(), updated::toString);
        assertEquals("tcp", updated.json().getString("transport"));
        assertEquals(5080, updated.json().getInt("port"));
        assertEquals(false, updated.json().getBoolean("enabled"));

        assertEquals(204, api.delete("/api/v1/carriers/" + id).status());
        assertEquals(404, api.get("/api/v1/carriers/" + id).status());
    }

    @Test
    void badValuesAreRefusedNamingTheField() throws Exception {
        assertField(api.post("/api/v1/carriers", "{\"name\":\"" + unique("x") + "\",\"host\":\"not a host\"}"), 422, "host");
        assertField(api.post("/api/v1/carriers", "{\"name\":\"" + unique("x") + "\",\"host\":\"127.0.0.51\",\"port\":70000}"), 422, "port");
        assertField(api.post("/api/v1/carriers", "{\"name\":\"" + unique("x") + "\",\"host\":\"127.0.0.51\",\"transport\":\"sctp\"}"), 422, "transport");
        assertField(api.post("/api/v1/carriers", "{\"host\":\"127.0.0.51\"}"), 422, "name");
        String name = unique("dup");
        Reply first = api.post("/api/v1/carriers", "{\"name\":\"" + name + "\",\"host\":\"127.0.0.51\",\"enabled\":false}");
        assertEquals(201, first.status(), first::toString);
        assertField(api.post("/api/v1/carriers", "{\"name\":\"" + name + "\",\"host\":\"127.0.0.52\",\"enabled\":false}"), 409, "name");
        assertEquals(204, api.delete("/api/v1/carriers/" + first.json().getJsonNumber("id").longValue()).status());
    }

    @Test
    void malformedJsonIs400NotA500() throws Exception {
        for (String garbage : new String[] {"{", "{\"name\":", "[1,2", "not json", "{\"port\":\"eighty\"}"}) {
            Reply reply = api.post("/api/v1/carriers", garbage);
            assertEquals(400, reply.status(), () -> garbage + " -> " + reply);
            assertTrue(reply.json().getString("error").length() > 0);
        }
        assertEquals(404, api.get("/api/v1/carriers/999999999").status());
        assertEquals(404, api.get("/api/v1/carriers/abc").status());
    }

    @Test
    void theApiRequiresTheAdminPassword() throws Exception {
        assertEquals(401, ApiClient.anonymous().get("/api/v1/carriers").status());
        assertEquals(401, ApiClient.as("admin", "wrong").get("/api/v1/carriers").status());
        assertEquals(401, ApiClient.as("root", ApiClient.ADMIN_PASSWORD).get("/api/v1/carriers").status());
        assertTrue(ApiClient.anonymous().get("/api/v1/carriers").header("WWW-Authenticate").orElse("").startsWith("Basic"));
    }

    static void assertField(Reply reply, int status, String field) {
        assertEquals(status, reply.status(), reply::toString);
        assertEquals(field, reply.json().getString("field", null), reply::toString);
    }
}
