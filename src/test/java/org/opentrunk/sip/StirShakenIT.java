package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.Predicate;
import javax.json.Json;
import javax.json.JsonArray;
import javax.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.CertificateRepositoryServer;
import org.opentrunk.testing.Kamailio;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.StirPki;

/**
 * IC-STIR with an independent implementation on the other side: Kamailio's secsipid module
 * (Debian kamailio-secsipid-modules, libsecsipid from the secsipidx project).
 *
 * <ul>
 *   <li>As the terminating carrier, Kamailio verifies the Identity OpenTrunk adds (it fetches the
 *   certificate at x5u over HTTPS and checks the ES256 signature and the PASSporT's age), and
 *   tells the far end by a header; a carrier without {@code signing} gets no Identity.</li>
 *   <li>As an originating carrier, Kamailio signs inbound calls for OpenTrunk to verify: good,
 *   with a wrong dest.tn, with a stale iat, with a certificate outside OpenTrunk's trust anchors,
 *   and unsigned; the PBX sees the verstat on From and P-Asserted-Identity, and a number set to
 *   refuse failures answers 608.</li>
 * </ul>
 * The test makes the PKI (an STI-CA, signing certificates, an outsider CA) and serves the
 * certificates over HTTPS on loopback itself.
 */
@Tag("IC-STIR")
class StirShakenIT {

    private static final int SIP_PORT = 16470;
    private static final int HTTP_PORT = 20490;
    private static final String PASSWORD = "stir-shaken-it-secret";
    private static final String DOMAIN = "stir.test";
    private static final String TRUNK_HOST = "127.0.0.131";
    private static final String CUSTOMER = "127.0.0.132";
    private static final String REPOSITORY = "127.0.0.133";
    /** Kamailio verifying what OpenTrunk signs, in front of the far end. */
    private static final String VERIFIER = "127.0.0.134";
    private static final String FAR_END = "127.0.0.135";
    private static final int FAR_END_PORT = 5062;
    /** A carrier without signing (the test's own client). */
    private static final String PLAIN_CARRIER = "127.0.0.136";
    private static final int PLAIN_PORT = 5064;
    /** Kamailio signing inbound calls for OpenTrunk. */
    private static final String SIGNER = "127.0.0.137";
    private static final String ORIGINATOR = "127.0.0.138";
    private static final String PBX = "127.0.0.139";
    private static final int PBX_PORT = 5066;
    private static final int KAMAILIO_PORT = 5060;
    private static final String TECH_PREFIX = "13113113";
    private static final String OWN_NUMBER = "+12025550101";
    /** A number that refuses calls failing verification with 608 (RFC 8688). */
    private static final String STRICT_NUMBER = "+12025550102";
    private static final String CALLER = "+12065550100";
    private static final Duration WAIT = Duration.ofSeconds(8);
    private static final Path FILES = Path.of("target/stir-it").toAbsolutePath();

    private static LibertyServer server;
    private static ApiClient api;
    private static CertificateRepositoryServer repository;
    private static Kamailio verifier;
    private static Kamailio signer;
    private static String origid;
    private static String carrierX5u;
    private static String outsiderX5u;
    private static Path carrierKey;
    private static Path outsiderKey;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(FILES.resolve("anchors"));
        StirPki.Issued ca = StirPki.root("CN=OpenTrunk Test STI-CA");
        StirPki.Issued opentrunkCert = StirPki.signer(ca, "CN=OpenTrunk SP");
        StirPki.Issued carrierCert = StirPki.signer(ca, "CN=Test Carrier SP");
        StirPki.Issued outsiderCa = StirPki.root("CN=Unknown CA");
        StirPki.Issued outsiderCert = StirPki.signer(outsiderCa, "CN=Outsider SP");
        Path caPem = Files.writeString(FILES.resolve("anchors/sti-ca.pem"), ca.certificatePem());
        // OpenTrunk's key as openssl ecparam writes it (SEC 1), the carriers' as PKCS #8
        Path opentrunkKey = Files.writeString(FILES.resolve("opentrunk-key.pem"), StirPki.sec1Pem(opentrunkCert.keys()));
        carrierKey = Files.writeString(FILES.resolve("carrier-key.pem"), carrierCert.privateKeyPem());
        outsiderKey = Files.writeString(FILES.resolve("outsider-key.pem"), outsiderCert.privateKeyPem());

        repository = new CertificateRepositoryServer(REPOSITORY, ca);
        String opentrunkX5u = repository.publish("/opentrunk.pem", opentrunkCert.certificatePem());
        carrierX5u = repository.publish("/carrier.pem", carrierCert.certificatePem());
        outsiderX5u = repository.publish("/outsider.pem", outsiderCert.certificatePem() + outsiderCa.certificatePem());

        server = LibertyServer.create("stir-it", Map.ofEntries(Map.entry("OT_SIP_HOST", TRUNK_HOST),
                Map.entry("OT_SIP_PORT", String.valueOf(SIP_PORT)), Map.entry("OT_HTTP_HOST", "127.0.0.1"),
                Map.entry("OT_HTTP_PORT", String.valueOf(HTTP_PORT)), Map.entry("OT_ADMIN_PASSWORD", PASSWORD),
                Map.entry("OT_SIP_DOMAIN", DOMAIN), Map.entry("OT_CARRIER_PROBE_INTERVAL", "0"),
                Map.entry("OT_FAILOVER_TIMEOUT", "2"),
                Map.entry("OT_STIR_KEY", opentrunkKey.toString()), Map.entry("OT_STIR_X5U", opentrunkX5u),
                Map.entry("OT_STIR_CA_DIR", FILES.resolve("anchors").toString())));
        // The x5u fetch uses the JVM's trust store: here the test CA that issued the repository's TLS certificate.
        Path trust = CertificateRepositoryServer.trustStore(FILES.resolve("https-trust.p12"), ca);
        Files.writeString(server.logs().getParent().resolve("jvm.options"), "\n-Djavax.net.ssl.trustStore=" + trust
                + "\n-Djavax.net.ssl.trustStorePassword=" + CertificateRepositoryServer.trustStorePassword()
                + "\n-Djavax.net.ssl.trustStoreType=PKCS12\n", StandardOpenOption.APPEND);
        server.start();
        api = ApiClient.asAdmin(HTTP_PORT, PASSWORD).awaitUp(Duration.ofSeconds(90));

        // libsecsipid is Go: its HTTPS client trusts the certificates in SSL_CERT_FILE.
        Map<String, String> kamailioEnv = Map.of("SSL_CERT_FILE", caPem.toString());
        verifier = Kamailio.start("stir-verifier", VERIFIER, KAMAILIO_PORT, verifierConfig(), kamailioEnv);
        signer = Kamailio.start("stir-signer", SIGNER, KAMAILIO_PORT, signerConfig(), kamailioEnv);

        JsonObject customer = created(api.post("/api/v1/customers", "{\"name\":\"stir\",\"techPrefix\":\"" + TECH_PREFIX
                + "\",\"ips\":[\"" + CUSTOMER + "\"],\"maxChannels\":20,\"maxCps\":50}"));
        origid = customer.getString("stirOrigid");
        long customerId = customer.getJsonNumber("id").longValue();
        created(api.post("/api/v1/carriers", "{\"name\":\"plain\",\"host\":\"" + PLAIN_CARRIER + "\",\"port\":" + PLAIN_PORT
                + ",\"priority\":0}"));
        JsonObject signing = created(api.post("/api/v1/carriers", "{\"name\":\"verifying\",\"host\":\"" + VERIFIER
                + "\",\"port\":" + KAMAILIO_PORT + ",\"priority\":1,\"signing\":true}"));
        assertTrue(signing.getBoolean("signing"), signing::toString);
        created(api.post("/api/v1/carriers", "{\"name\":\"originating\",\"host\":\"" + SIGNER + "\",\"port\":" + KAMAILIO_PORT
                + ",\"priority\":9}"));
        String route = "[{\"type\":\"host\",\"target\":\"" + PBX + ":" + PBX_PORT + "\",\"priority\":0}]";
        created(api.post("/api/v1/numbers", "{\"e164\":\"" + OWN_NUMBER + "\",\"customerId\":" + customerId
                + ",\"routes\":" + route + "}"));
        JsonObject strict = created(api.post("/api/v1/numbers", "{\"e164\":\"" + STRICT_NUMBER + "\",\"customerId\":" + customerId
                + ",\"stirFailedStatus\":608,\"routes\":" + route + "}"));
        assertEquals(608, strict.getInt("stirFailedStatus"));
        assertEquals(422, api.post("/api/v1/numbers", "{\"e164\":\"+12025550103\",\"customerId\":" + customerId
                + ",\"stirFailedStatus\":486,\"routes\":" + route + "}").status(), "only 0, 608 and 403");
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {signer, verifier, repository}) {
            if (c != null) {
                c.close();
            }
        }
        if (server != null) {
            server.stop();
        }
    }

    /** Verifies an INVITE's Identity with secsipid and says so in X-Stir-Check, then relays it to the far end. */
    private static String verifierConfig() {
        return String.join("\n",
                "#!KAMAILIO",
                "debug=2", "log_stderror=yes", "children=2", "tcp_children=1", "dns=no", "rev_dns=no", "auto_aliases=no",
                "listen=udp:" + VERIFIER + ":" + KAMAILIO_PORT, "listen=tcp:" + VERIFIER + ":" + KAMAILIO_PORT,
                "mpath=\"/usr/lib/x86_64-linux-gnu/kamailio/modules/\"",
                "loadmodule \"tm.so\"", "loadmodule \"sl.so\"", "loadmodule \"pv.so\"", "loadmodule \"textops.so\"",
                "loadmodule \"siputils.so\"", "loadmodule \"xlog.so\"", "loadmodule \"secsipid.so\"",
                "modparam(\"secsipid\", \"timeout\", 3)",
                "modparam(\"secsipid\", \"expire\", 60)",
                "request_route {",
                "    if (has_totag()) { if (is_method(\"ACK\") && t_check_trans()) { t_relay(); } exit; }",
                "    if (is_method(\"CANCEL\")) { if (t_check_trans()) { t_relay(); } exit; }",
                "    if (!is_method(\"INVITE\")) { sl_send_reply(\"405\", \"Method Not Allowed\"); exit; }",
                "    if (secsipid_check_identity(\"\")) {",
                "        append_hf(\"X-Stir-Check: ok\\r\\n\");",
                "    } else {",
                "        xlog(\"L_INFO\", \"secsipid check of $ci failed: $rc\\n\");",
                "        append_hf(\"X-Stir-Check: failed $rc\\r\\n\");",
                "    }",
                "    $du = \"sip:" + FAR_END + ":" + FAR_END_PORT + "\";",
                "    if (!t_relay()) { sl_reply_error(); }",
                "    exit;",
                "}", "");
    }

    /**
     * Signs an INVITE with secsipid as the test's X-Sign-* headers say (key file, x5u, orig and
     * dest numbers; or a whole payload, for a stale iat; or nothing), removes them and relays it
     * to OpenTrunk from the carrier's address.
     */
    private static String signerConfig() {
        return String.join("\n",
                "#!KAMAILIO",
                "debug=2", "log_stderror=yes", "children=2", "tcp_children=1", "dns=no", "rev_dns=no", "auto_aliases=no",
                "listen=udp:" + SIGNER + ":" + KAMAILIO_PORT, "listen=tcp:" + SIGNER + ":" + KAMAILIO_PORT,
                "mpath=\"/usr/lib/x86_64-linux-gnu/kamailio/modules/\"",
                "loadmodule \"tm.so\"", "loadmodule \"sl.so\"", "loadmodule \"pv.so\"", "loadmodule \"textops.so\"",
                "loadmodule \"siputils.so\"", "loadmodule \"xlog.so\"", "loadmodule \"secsipid.so\"",
                "request_route {",
                "    if (has_totag()) { if (is_method(\"ACK\") && t_check_trans()) { t_relay(); } exit; }",
                "    if (is_method(\"CANCEL\")) { if (t_check_trans()) { t_relay(); } exit; }",
                "    if (!is_method(\"INVITE\")) { sl_send_reply(\"405\", \"Method Not Allowed\"); exit; }",
                "    if ($hdr(X-Sign-Payload) != $null) {",
                "        if (!secsipid_sign(\"$hdr(X-Sign-Header)\", \"$hdr(X-Sign-Payload)\", \"$hdr(X-Sign-Key)\")) {",
                "            sl_send_reply(\"500\", \"Signing Failed\"); exit;",
                "        }",
                "        append_hf(\"Identity: $secsipid(val);info=<$hdr(X-Sign-X5u)>;alg=ES256;ppt=shaken\\r\\n\");",
                "    } else if ($hdr(X-Sign-Key) != $null) {",
                "        if (!secsipid_add_identity(\"$hdr(X-Sign-Orig)\", \"$hdr(X-Sign-Dest)\", \"A\", \"\", \"$hdr(X-Sign-X5u)\",",
                "                \"$hdr(X-Sign-Key)\")) {",
                "            sl_send_reply(\"500\", \"Signing Failed\"); exit;",
                "        }",
                "    }",
                "    remove_hf_re(\"^X-Sign-\");",
                "    $du = \"sip:" + TRUNK_HOST + ":" + SIP_PORT + "\";",
                "    force_send_socket(udp:" + SIGNER + ":" + KAMAILIO_PORT + ");",
                "    if (!t_relay()) { sl_reply_error(); }",
                "    exit;",
                "}", "");
    }

    // ---- signing outbound calls

    @Test
    void outboundCallsAreSignedForTheSigningCarrierOnlyAndSecsipidVerifiesThem() throws Exception {
        try (SipTestClient customer = new SipTestClient(Transport.UDP, CUSTOMER, trunk());
             SipTestClient plain = new SipTestClient(Transport.UDP, PLAIN_CARRIER, PLAIN_PORT, trunk());
             SipTestClient farEnd = new SipTestClient(Transport.UDP, FAR_END, FAR_END_PORT, SipTestClient.address(VERIFIER, KAMAILIO_PORT))) {
            // Attestation A: the customer's own number. The unsigned carrier first, then failover.
            JsonObject a = outboundCall(customer, plain, farEnd, OWN_NUMBER, "+14155550199");
            assertEquals("A", a.getString("attest"));
            assertEquals(PassportTn.of(OWN_NUMBER), a.getJsonObject("orig").getString("tn"));
            assertEquals(PassportTn.of("+14155550199"), a.getJsonObject("dest").getJsonArray("tn").getString(0));
            assertEquals(origid, a.getString("origid"), "origid is the customer's, stable");
            assertTrue(Math.abs(System.currentTimeMillis() / 1000 - a.getJsonNumber("iat").longValue()) < 30, a::toString);

            // Attestation B: authenticated, but a number that is not its own.
            // (with an Identity of the customer's own, which goes nowhere: OpenTrunk signs, or nothing)
            JsonObject b = outboundCall(customer, plain, farEnd, "+14155550123", "+14155550198",
                    "Identity: e30.e30.c2ln;info=<https://pbx.example.net/c.pem>;alg=ES256;ppt=shaken\r\n");
            assertEquals("B", b.getString("attest"));
            assertEquals(origid, b.getString("origid"), "the same origid on every call of the customer");

            // Attestation C: a call forwarded back out (Diversion) with the original caller's number.
            JsonObject c = outboundCall(customer, plain, farEnd, "+14155550124", "+14155550197",
                    "Diversion: <sip:" + OWN_NUMBER + "@" + DOMAIN + ">;reason=unconditional\r\n");
            assertEquals("C", c.getString("attest"));

            // The CDRs say what was signed.
            JsonArray cdrs = newestCdrs("outbound", 3, "+14155550197", 486);
            assertEquals("C", cdrs.getJsonObject(0).getString("attestation"), cdrs::toString);
            assertEquals("B", cdrs.getJsonObject(1).getString("attestation"));
            assertEquals("A", cdrs.getJsonObject(2).getString("attestation"));
            assertEquals(origid, cdrs.getJsonObject(2).getString("origid"));
            String csv = api.get("/api/v1/cdrs?direction=outbound&limit=3", "text/csv").body();
            assertTrue(csv.lines().findFirst().orElseThrow().endsWith(",attestation,verstat,origid,node"), csv);
            assertTrue(csv.contains(",A,," + origid), csv);
            assertTrue(repository.fetches("/opentrunk.pem") >= 1, "secsipid fetched OpenTrunk's certificate");
        }
    }

    @Test
    void secsipidRefusesAnUnsignedCallSoItsVerdictMeansSomething() throws Exception {
        try (SipTestClient someone = new SipTestClient(Transport.UDP, PLAIN_CARRIER, 5068, SipTestClient.address(VERIFIER, KAMAILIO_PORT));
             SipTestClient farEnd = new SipTestClient(Transport.UDP, FAR_END, FAR_END_PORT, SipTestClient.address(VERIFIER, KAMAILIO_PORT))) {
            String invite = someone.newRequest("INVITE", "sip:+14155550199@" + VERIFIER, "", "");
            someone.send(invite);
            SipMessage got = farEnd.await(isInvite(), WAIT);
            assertTrue(got.header("X-Stir-Check").orElse("").startsWith("failed"), got::toString);
            farEnd.send(got.response(486, "Busy Here", "f0", "", ""));
            someone.await(m -> m.isResponse() && m.status() >= 200, WAIT);
        }
    }

    private static JsonObject outboundCall(SipTestClient customer, SipTestClient plain, SipTestClient farEnd, String caller,
                                           String callee, String... extraHeaders) throws Exception {
        String invite = customer.newRequest("INVITE", "sip:" + TECH_PREFIX + "*" + callee + "@" + DOMAIN,
                String.join("", extraHeaders), "").replace("<sip:+12065550100@", "<sip:" + caller + "@");
        SipMessage sent = SipMessage.parse(invite.getBytes(StandardCharsets.UTF_8), invite.length());
        customer.send(invite);
        SipMessage atPlain = plain.await(isInvite(), WAIT);
        assertTrue(atPlain.header("Identity").isEmpty(), () -> "a carrier without signing gets no Identity: " + atPlain);
        plain.send(atPlain.response(503, "Service Unavailable", "p" + System.nanoTime(), "", ""));
        SipMessage atFarEnd = farEnd.await(isInvite(), WAIT);
        String identity = atFarEnd.header("Identity").orElseThrow(() -> new AssertionError("no Identity: " + atFarEnd));
        assertEquals(1, atFarEnd.headers("Identity").size(), () -> "OpenTrunk's Identity only: " + atFarEnd);
        assertEquals("ok", atFarEnd.header("X-Stir-Check").orElse(""), () -> "secsipid verified it: " + atFarEnd
                + "\n(Kamailio log: " + verifier.log() + ")");
        assertTrue(identity.contains(";info=<" + repository.url("/opentrunk.pem") + ">"), identity);
        assertTrue(identity.contains(";alg=ES256") && identity.contains(";ppt=shaken"), identity);
        farEnd.send(atFarEnd.response(486, "Busy Here", "f" + System.nanoTime(), "", ""));
        SipMessage answer = customer.await(m -> m.isResponse() && m.status() >= 200
                && sent.header("Call-ID").equals(m.header("Call-ID")), WAIT);
        assertEquals(486, answer.status());
        customer.send(SipTestClient.ackFor(sent, answer));
        String[] jws = identity.substring(0, identity.indexOf(';')).split("\\.");
        JsonObject header = json(jws[0]);
        assertEquals("passport", header.getString("typ"));
        assertEquals("shaken", header.getString("ppt"));
        assertEquals(repository.url("/opentrunk.pem"), header.getString("x5u"));
        return json(jws[1]);
    }

    // ---- verifying inbound calls

    @Test
    void inboundIdentityIsVerifiedAndTheVerstatReachesThePbx() throws Exception {
        try (SipTestClient originator = new SipTestClient(Transport.UDP, ORIGINATOR, SipTestClient.address(SIGNER, KAMAILIO_PORT));
             SipTestClient pbx = new SipTestClient(Transport.UDP, PBX, PBX_PORT, trunk())) {
            String good = signing(carrierKey, carrierX5u, CALLER, OWN_NUMBER);
            assertEquals("TN-Validation-Passed", inboundCall(originator, pbx, OWN_NUMBER, good));
            assertEquals("TN-Validation-Passed", inboundCall(originator, pbx, OWN_NUMBER, good));
            assertEquals(1, repository.fetches("/carrier.pem"), "the certificate is fetched once and cached (max-age)");

            assertEquals("TN-Validation-Failed", inboundCall(originator, pbx, OWN_NUMBER,
                    signing(carrierKey, carrierX5u, CALLER, "+12025550199")), "a dest.tn that is not the called number");
            assertEquals("TN-Validation-Failed", inboundCall(originator, pbx, OWN_NUMBER,
                    signing(outsiderKey, outsiderX5u, CALLER, OWN_NUMBER)), "a certificate outside the trust anchors");
            long stale = System.currentTimeMillis() / 1000 - 120;
            String staleHeaders = "X-Sign-Key: " + carrierKey + "\r\nX-Sign-X5u: " + carrierX5u + "\r\n"
                    + "X-Sign-Header: {\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"" + carrierX5u + "\"}\r\n"
                    + "X-Sign-Payload: {\"attest\":\"A\",\"dest\":{\"tn\":[\"" + PassportTn.of(OWN_NUMBER) + "\"]},\"iat\":" + stale
                    + ",\"orig\":{\"tn\":\"" + PassportTn.of(CALLER) + "\"},\"origid\":\"" + java.util.UUID.randomUUID() + "\"}\r\n";
            assertEquals("TN-Validation-Failed", inboundCall(originator, pbx, OWN_NUMBER, staleHeaders), "iat 120 s old");
            assertEquals("No-TN-Validation", inboundCall(originator, pbx, OWN_NUMBER, ""), "no Identity at all");

            // A number that refuses failed verifications: 608, and the PBX never sees the call.
            String invite = originator.newRequest("INVITE", "sip:" + STRICT_NUMBER + "@" + SIGNER,
                    signing(carrierKey, carrierX5u, CALLER, "+12025550199"), "");
            SipMessage refused = originator.request(invite, WAIT);
            assertEquals(608, refused.status(), refused::toString);
            long quiet = System.nanoTime() + Duration.ofMillis(500).toNanos();
            while (System.nanoTime() < quiet) {
                pbx.receive(Duration.ofMillis(50)).ifPresent(m -> assertFalse(isInvite().test(m), () -> "reached the PBX: " + m));
            }
            // ... while a verified call to it goes through.
            assertEquals("TN-Validation-Passed", inboundCall(originator, pbx, STRICT_NUMBER,
                    signing(carrierKey, carrierX5u, CALLER, STRICT_NUMBER)));

            JsonArray cdrs = newestCdrs("inbound", 3, STRICT_NUMBER, 486);
            assertEquals("TN-Validation-Passed", cdrs.getJsonObject(0).getString("verstat"), cdrs::toString);
            assertEquals("A", cdrs.getJsonObject(0).getString("attestation"));
            assertEquals(608, cdrs.getJsonObject(1).getInt("sipStatus"));
            assertEquals("TN-Validation-Failed", cdrs.getJsonObject(1).getString("verstat"));
            assertEquals("No-TN-Validation", cdrs.getJsonObject(2).getString("verstat"));
        }
    }

    /**
     * The newest CDRs of a direction, once the newest is the call to {@code callee} that ended with
     * {@code status} (CDRs are written asynchronously).
     */
    private static JsonArray newestCdrs(String direction, int limit, String callee, int status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonArray cdrs;
        do {
            cdrs = api.get("/api/v1/cdrs?direction=" + direction + "&limit=" + limit).array();
            if (!cdrs.isEmpty() && callee.equals(cdrs.getJsonObject(0).getString("callee", ""))
                    && cdrs.getJsonObject(0).getInt("sipStatus", 0) == status) {
                return cdrs;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no CDR of the call to " + callee + " yet: " + cdrs);
    }

    /** X-Sign-* headers asking the signer for a PASSporT from {@code orig} to {@code dest}. */
    private static String signing(Path key, String x5u, String orig, String dest) {
        return "X-Sign-Key: " + key + "\r\nX-Sign-X5u: " + x5u + "\r\nX-Sign-Orig: " + PassportTn.of(orig)
                + "\r\nX-Sign-Dest: " + PassportTn.of(dest) + "\r\n";
    }

    /** A call through the signing carrier to {@code did}; returns the verstat of the From the PBX gets. */
    private static String inboundCall(SipTestClient originator, SipTestClient pbx, String did, String signingHeaders)
            throws Exception {
        String invite = originator.newRequest("INVITE", "sip:" + did + "@" + SIGNER, signingHeaders, "");
        SipMessage sent = SipMessage.parse(invite.getBytes(StandardCharsets.UTF_8), invite.length());
        originator.send(invite);
        SipMessage atPbx = pbx.await(isInvite(), WAIT);
        String from = atPbx.header("From").orElseThrow();
        String pai = atPbx.header("P-Asserted-Identity").orElseThrow();
        assertTrue(from.contains("<sip:" + CALLER + "@"), from);
        String verstat = parameter(from, "verstat");
        assertEquals(verstat, parameter(pai, "verstat"), () -> "From and PAI agree: " + from + " / " + pai);
        assertTrue(from.indexOf(";verstat=") < from.indexOf('>'), () -> "a URI parameter: " + from);
        assertFalse(atPbx.header("Identity").isPresent(), "the carrier's Identity is not passed to the PBX");
        pbx.send(atPbx.response(486, "Busy Here", "b" + System.nanoTime(), "", ""));
        SipMessage answer = originator.await(m -> m.isResponse() && m.status() >= 200
                && sent.header("Call-ID").equals(m.header("Call-ID")), WAIT);
        assertEquals(486, answer.status());
        originator.send(SipTestClient.ackFor(sent, answer));
        return verstat;
    }

    private static String parameter(String nameAddr, String name) {
        int at = nameAddr.indexOf(";" + name + "=");
        if (at < 0) {
            return "(none)";
        }
        String rest = nameAddr.substring(at + name.length() + 2);
        int end = 0;
        while (end < rest.length() && rest.charAt(end) != ';' && rest.charAt(end) != '>') {
            end++;
        }
        return rest.substring(0, end);
    }

    private static Predicate<SipMessage> isInvite() {
        return m -> !m.isResponse() && "INVITE".equals(m.method());
    }

    private static java.net.InetSocketAddress trunk() {
        return SipTestClient.address(TRUNK_HOST, SIP_PORT);
    }

    private static JsonObject json(String base64url) {
        return Json.createReader(new StringReader(new String(Base64.getUrlDecoder().decode(base64url), StandardCharsets.UTF_8)))
                .readObject();
    }

    private static JsonObject created(ApiClient.Reply reply) {
        assertEquals(201, reply.status(), reply::toString);
        return reply.json();
    }

    /** A number as PASSporTs carry it: digits only (RFC 8224 section 8.3). */
    private static final class PassportTn {
        static String of(String e164) {
            return e164.replace("+", "");
        }
    }
}
