package org.opentrunk.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.BusyCarrierCall;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;

/**
 * Issue 25, tech-prefix search: a PBX address of a customer (IC-IPAUTH) tries tech prefixes blind.
 * On a server of its own whose guard blocks after {@value #MAX_FAILURES} failures, the address
 * is blocked, listed, refused even with the right prefix, lifted through the API, and calls again.
 * On an address two tenants share (IC-SHARED-IP), one tenant's mistyped prefix sent with every
 * call does not block the platform, while different prefixes do.
 */
@Tag("IC-IPAUTH")
class TechPrefixSearchIT {

    private static final int SIP_PORT = 16270;
    private static final int HTTP_PORT = 20290;
    private static final String PASSWORD = "prefix-search-it-secret";
    private static final String DOMAIN = "prefix.test";
    private static final String PBX = "127.0.0.111";
    private static final String PLATFORM = "127.0.0.112";
    private static final String CARRIER = "127.0.0.113";
    private static final int CARRIER_PORT = 15060;
    private static final String PREFIX = "61116111";
    private static final int MAX_FAILURES = 5;
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String BLOCKED_REASON = "SIP/2.0 403 Forbidden";
    private static final String MISS_REASON = "SIP/2.0 403 Forbidden (Tech Prefix Not Valid From This Address)";

    @Test
    void aSearchFromACustomersAddressIsBlockedAndAMistypingTenantIsNot() throws Exception {
        LibertyServer server = LibertyServer.trunk("prefix-search-it", "127.0.0.1", SIP_PORT, HTTP_PORT, PASSWORD, DOMAIN,
                "OT_AUTH_MAX_FAILURES", String.valueOf(MAX_FAILURES), "OT_AUTH_FAILURE_WINDOW", "60",
                "OT_AUTH_BLOCK_TIME", "600");
        server.start();
        try {
            ApiClient api = ApiClient.asAdmin(HTTP_PORT, PASSWORD).awaitUp(Duration.ofSeconds(90));
            assertEquals(201, api.post("/api/v1/carriers", "{\"name\":\"gw\",\"host\":\"" + CARRIER + "\",\"port\":"
                    + CARRIER_PORT + "}").status());
            customer(api, PREFIX, PBX);
            customer(api, "61126112", PLATFORM);
            customer(api, "61136113", PLATFORM);
            try (SipTestClient carrier = new SipTestClient(Transport.UDP, CARRIER, CARRIER_PORT, SipTestClient.address("127.0.0.1", SIP_PORT));
                 SipTestClient pbx = new SipTestClient(Transport.UDP, PBX, SipTestClient.address("127.0.0.1", SIP_PORT));
                 SipTestClient platform = new SipTestClient(Transport.UDP, PLATFORM, SipTestClient.address("127.0.0.1", SIP_PORT))) {
                aSearchIsBlockedUntilLifted(api, server, pbx, carrier);
                aSharedAddressIsBlockedBySearchingNotByOneMistake(api, platform, carrier);
            }
        } finally {
            server.stop();
        }
    }

    private void aSearchIsBlockedUntilLifted(ApiClient api, LibertyServer server, SipTestClient pbx, SipTestClient carrier)
            throws Exception {
        assertEquals(486, call(pbx, carrier, PREFIX).status(), "the right prefix reaches the carrier");
        int guesses = MAX_FAILURES + 3;
        for (int guess = 0; guess < guesses; guess++) {
            SipMessage refused = call(pbx, carrier, String.format("%08d", 10_000_000 + guess));
            assertEquals(403, refused.status(), refused::toString);
            assertEquals(guess < MAX_FAILURES ? MISS_REASON : BLOCKED_REASON, refused.startLine(),
                    "the " + MAX_FAILURES + "th miss blocks; after it the same 403 whatever is sent");
        }
        String blocks = api.get("/api/v1/security/blocks").body();
        assertTrue(blocks.contains("\"address\":\"" + PBX + "\""), blocks);
        SipMessage rightPrefix = call(pbx, carrier, PREFIX);
        assertEquals(BLOCKED_REASON, rightPrefix.startLine(), "blocked: the right prefix is refused too");
        assertTrue(carrier.receive(Duration.ofMillis(300)).isEmpty(), "nothing of a blocked address reaches a carrier");

        String log = Files.readString(server.logs().resolve("messages.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains("Refused tech prefix: request from '" + PBX + "'"), "each miss is logged (rate-limited)");
        assertEquals(1, log.split("Blocked " + PBX + " after", -1).length - 1, "one line for the block");

        assertEquals(204, api.delete("/api/v1/security/blocks/" + PBX).status());
        assertFalse(api.get("/api/v1/security/blocks").body().contains(PBX));
        assertEquals(486, call(pbx, carrier, PREFIX).status(), "lifted: the customer calls again");
    }

    /** IC-SHARED-IP: a block is per address, so only what a search does may trip it on a shared one. */
    private void aSharedAddressIsBlockedBySearchingNotByOneMistake(ApiClient api, SipTestClient platform, SipTestClient carrier)
            throws Exception {
        for (int i = 0; i < 3 * MAX_FAILURES; i++) {
            assertEquals(MISS_REASON, call(platform, carrier, "61126119").startLine(), "a tenant's mistyped prefix, every call");
        }
        assertEquals(486, call(platform, carrier, "61136113").status(), "the other tenants still call");
        assertFalse(api.get("/api/v1/security/blocks").body().contains(PLATFORM));
        for (int guess = 1; guess < MAX_FAILURES; guess++) { // the mistake counted once, plus these
            assertEquals(MISS_REASON, call(platform, carrier, String.format("%08d", 20_000_000 + guess)).startLine());
        }
        assertTrue(api.get("/api/v1/security/blocks").body().contains(PLATFORM), "a search blocks the address, for all its tenants");
        assertEquals(BLOCKED_REASON, call(platform, carrier, "61136113").startLine());
        assertEquals(204, api.delete("/api/v1/security/blocks/" + PLATFORM).status());
        assertEquals(486, call(platform, carrier, "61126112").status());
    }

    /** One INVITE with {@code prefix}; the carrier answers 486 if it gets there. Returns the PBX's final answer. */
    private static SipMessage call(SipTestClient pbx, SipTestClient carrier, String prefix) throws Exception {
        return BusyCarrierCall.place(pbx, carrier, "sip:" + prefix + "*+12066418000@" + DOMAIN, WAIT);
    }

    private static void customer(ApiClient api, String prefix, String ip) throws Exception {
        ApiClient.Reply r = api.post("/api/v1/customers", "{\"name\":\"c" + prefix + "\",\"techPrefix\":\"" + prefix
                + "\",\"ips\":[\"" + ip + "\"]}");
        assertEquals(201, r.status(), r::toString);
    }
}
