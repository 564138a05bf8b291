package org.opentrunk.testing;

import javax.json.JsonObject;
import javax.json.JsonValue;

/**
 * Provisions the test network through the REST API, idempotently (the test server's database
 * outlives a run): the customer PBX at {@link TestNet#CUSTOMER_PBX} and the carrier at
 * {@link TestNet#CARRIER}, first in priority so that calls go there and nowhere else.
 */
public final class TestNetProvisioning {

    public static final String CUSTOMER_TECH_PREFIX = "12345678";
    public static final String CARRIER_NAME = "test-carrier";
    public static final String SECOND_CARRIER_NAME = "test-carrier-2";
    /** A customer authenticating by SIP digest from {@link TestNet#SECOND_PBX}. */
    public static final String DIGEST_TECH_PREFIX = "87654321";
    public static final String DIGEST_USER = "digest-pbx";
    public static final String DIGEST_PASSWORD = "digest-secret-1";

    private TestNetProvisioning() {
    }

    /** Makes sure the test customer and carrier exist; returns the customer's id. */
    public static long ensure() throws Exception {
        ApiClient api = ApiClient.asAdmin();
        long customerId = -1;
        for (JsonValue v : api.get("/api/v1/customers").array()) {
            JsonObject c = v.asJsonObject();
            if (CUSTOMER_TECH_PREFIX.equals(c.getString("techPrefix"))) {
                customerId = c.getJsonNumber("id").longValue();
            }
        }
        if (customerId < 0) {
            ApiClient.Reply r = api.post("/api/v1/customers", "{\"name\":\"Test PBX\",\"techPrefix\":\"" + CUSTOMER_TECH_PREFIX
                    + "\",\"ips\":[\"" + TestNet.CUSTOMER_PBX + "\"],\"maxChannels\":10000,\"maxCps\":10000}");
            require(r, 201);
            customerId = r.json().getJsonNumber("id").longValue();
        }
        ensureCarrier(api, CARRIER_NAME, TestNet.CARRIER, 0);
        ensureCarrier(api, SECOND_CARRIER_NAME, TestNet.SECOND_CARRIER, 1);
        boolean digestCustomer = api.get("/api/v1/customers").array().stream()
                .anyMatch(v -> DIGEST_TECH_PREFIX.equals(v.asJsonObject().getString("techPrefix")));
        if (!digestCustomer) {
            require(api.post("/api/v1/customers", "{\"name\":\"Digest PBX\",\"techPrefix\":\"" + DIGEST_TECH_PREFIX
                    + "\",\"username\":\"" + DIGEST_USER + "\",\"password\":\"" + DIGEST_PASSWORD
                    + "\",\"maxChannels\":10000,\"maxCps\":10000,\"allowedPrefixes\":[\"+1\",\"+44\"]}"), 201);
        }
        return customerId;
    }

    private static void ensureCarrier(ApiClient api, String name, String host, int priority) throws Exception {
        boolean present = api.get("/api/v1/carriers").array().stream()
                .anyMatch(v -> name.equals(v.asJsonObject().getString("name")));
        if (!present) {
            require(api.post("/api/v1/carriers", "{\"name\":\"" + name + "\",\"host\":\"" + host
                    + "\",\"port\":" + TestNet.CARRIER_PORT + ",\"priority\":" + priority + "}"), 201);
        }
    }

    private static void require(ApiClient.Reply reply, int status) {
        if (reply.status() != status) {
            throw new AssertionError("provisioning the test network failed: " + reply);
        }
    }
}
