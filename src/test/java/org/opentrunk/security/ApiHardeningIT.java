package org.opentrunk.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.PrometheusText;
import org.opentrunk.testing.TrunkUnderTest;

/**
 * The REST API's own defences (issue 10): security headers on every answer, bodies over 64 KiB
 * refused with 413 (declared or chunked), query text that tries SQL/JPQL injection treated as
 * data, and the admin login throttled per source address. Requests go over raw sockets bound to
 * their own loopback addresses, so that the throttled address is not the other tests' 127.0.0.1.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ApiHardeningIT {

    private static final int HTTP_PORT = Integer.getInteger("arq.httpPort", 19080);
    private static final String CLIENT = "127.0.0.1";
    private static final String GUESSER = "127.0.0.66";
    private static final String OPERATOR_ELSEWHERE = "127.0.0.67";
    private static final int LIMIT = 64 * 1024;
    /** AdminLoginThrottle.MAX_FAILURES. */
    private static final int LOGIN_FAILURES = 10;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    private record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    @Test
    void securityHeadersOnApiAnswers() throws Exception {
        for (String path : new String[] {"/api/v1/carriers", "/api/v1/customers/999999999"}) {
            Answer a = send(CLIENT, "GET " + path, ApiClient.ADMIN_PASSWORD, Map.of(), null, false);
            assertTrue(a.status() == 200 || a.status() == 404, a::toString);
            assertEquals("nosniff", a.header("X-Content-Type-Options"), path);
            assertEquals("no-store", a.header("Cache-Control"), path);
            assertEquals("DENY", a.header("X-Frame-Options"), path);
            assertTrue(a.header("Content-Security-Policy").contains("default-src 'none'"), path);
            assertTrue(a.header("Content-Security-Policy").contains("frame-ancestors 'none'"), path);
        }
    }

    /**
     * The login is OpenTrunk's own filter (AdminAccessFilter), not container security: spellings of
     * a protected path that a servlet container normalises must not get past it.
     */
    @Test
    void nothingBehindTheLoginWithoutItHoweverThePathIsSpelt() throws Exception {
        String nobody = "127.0.0.68"; // a handful of wrong passwords, under the throttle's limit
        for (String path : new String[] {"/api/v1/customers", "//api/v1/customers", "/api/v1/../v1/customers",
                "/api;x=1/v1/customers", "/%61pi/v1/customers"}) {
            Answer a = send(nobody, "GET " + path, "wrong", Map.of(), null, false);
            assertTrue(a.status() == 401 || a.status() == 400 || a.status() == 404
                    || (a.status() == 302 && a.header("Location").endsWith("/login.xhtml")), () -> path + ": " + a);
            if (a.status() == 401) {
                assertTrue(a.header("WWW-Authenticate").startsWith("Basic realm=\"OpenTrunk\""), a::toString);
                assertEquals("nosniff", a.header("X-Content-Type-Options"), "security headers on refusals too");
            }
        }
        for (String path : new String[] {"/admin/index.xhtml", "/admin/cdrs.csv", "//admin/customers.xhtml",
                "/x/../admin/customers.xhtml", "/admin;jsessionid=forged/index.xhtml", "/%61dmin/index.xhtml",
                "/resources/%2e%2e/admin/index.xhtml", "/javax.faces.resource/..%2fadmin%2findex.xhtml",
                "/admin/./numbers.xhtml", "/login.xhtml/../admin/index.xhtml", "/admin/", "/nothing-here"}) {
            Answer a = send(nobody, "GET " + path, ApiClient.ADMIN_PASSWORD, Map.of(), null, false);
            // a redirect (to the login, or Liberty's to the folder, whose welcome page asks for it) or nothing
            assertTrue(a.status() == 302 || a.status() == 400 || a.status() == 404, () -> path + ": " + a);
        }
        Answer page = send(nobody, "GET /admin/numbers.xhtml", ApiClient.ADMIN_PASSWORD, Map.of(), null, false);
        assertTrue(page.header("Location").endsWith("/login.xhtml"), page::toString);
        Answer metrics = send(nobody, "GET /metrics", "", Map.of(), null, false);
        assertEquals(200, metrics.status(), metrics::toString);
        assertScrape(metrics);
    }

    /**
     * /metrics (open, like /health) in the Prometheus text format: read with a strict parser of
     * the format; every OpenTrunk series of docs/operations.md with its TYPE and HELP, the ones
     * there from the start always, the per-carrier and per-customer ones once there were calls and
     * peers, and no other; besides them only the JVM binders' ({@code jvm_}, {@code process_},
     * {@code system_}).
     */
    private static void assertScrape(Answer metrics) {
        assertEquals("text/plain; version=0.0.4; charset=utf-8",
                metrics.header("Content-Type").toLowerCase(Locale.ROOT).replace(";charset", "; charset"), metrics::toString);
        Map<String, PrometheusText.Family> families = PrometheusText.parse(metrics.body());
        Map<String, String> always = new LinkedHashMap<>();
        for (String gauge : new String[] {"opentrunk_calls_active", "opentrunk_invites_in_setup",
                "opentrunk_invites_in_setup_max", "opentrunk_sip_application_sessions", "opentrunk_media_port_pairs_free",
                "opentrunk_media_port_pairs", "opentrunk_media_port_pairs_in_use",
                "opentrunk_auth_blocked_addresses", "opentrunk_cdr_pending", "opentrunk_http_sessions", "jvm_heap_used_bytes", "jvm_heap_max_bytes",
                "jvm_threads", "process_uptime_seconds", "jvm_memory_used_bytes", "jvm_threads_live_threads",
                "opentrunk_admission_tracked_sources", "opentrunk_auth_tracked_addresses", "opentrunk_registrar_bindings"}) {
            always.put(gauge, "gauge");
        }
        for (String counter : new String[] {"opentrunk_sip_application_sessions_started_total",
                "opentrunk_caller_id_refused_total", "opentrunk_cdr_records_total", "opentrunk_cdr_write_retries_total",
                "opentrunk_auth_failures_total", "opentrunk_auth_blocks_total", "opentrunk_http_sessions_started_total"}) {
            always.put(counter, "counter");
        }
        Map<String, String> once = new LinkedHashMap<>();
        for (String peer : new String[] {"carrier", "customer"}) {
            for (String counter : new String[] {"call_attempts_total", "calls_answered_total", "calls_failed_total"}) {
                once.put("opentrunk_" + peer + "_" + counter, "counter");
            }
            once.put("opentrunk_" + peer + "_call_duration_seconds", "summary");
            once.put("opentrunk_" + peer + "_call_duration_seconds_max", "gauge");
            once.put("opentrunk_" + peer + "_post_dial_delay_seconds", "histogram");
            once.put("opentrunk_" + peer + "_post_dial_delay_seconds_max", "gauge");
            once.put("opentrunk_" + peer + "_calls_live", "gauge");
        }
        once.put("opentrunk_carrier_probe_state", "gauge");
        once.put("opentrunk_customer_channels_in_use", "gauge");
        once.put("opentrunk_customer_channels_max", "gauge");
        once.put("opentrunk_calls_refused_total", "counter");
        once.put("opentrunk_customer_calls_refused_total", "counter");
        once.put("opentrunk_hep_messages_total", "counter"); // the HEP export (issue 26), when configured
        for (Map.Entry<String, String> series : always.entrySet()) {
            PrometheusText.Family family = families.get(series.getKey());
            assertTrue(family != null, () -> series.getKey() + " missing: " + metrics.body());
            assertEquals(series.getValue(), family.type(), series.getKey());
        }
        for (PrometheusText.Family family : families.values()) {
            String name = family.name();
            if (name.startsWith("opentrunk_")) {
                String type = always.containsKey(name) ? always.get(name) : once.get(name);
                assertEquals(type, family.type(), () -> name + " is not a series of docs/operations.md, or of another type");
            } else {
                assertTrue(name.startsWith("jvm_") || name.startsWith("process_") || name.startsWith("system_"),
                        () -> name + " is neither OpenTrunk's nor a JVM binder's");
            }
            assertTrue(family.help() != null && !family.help().isBlank(), () -> family.name() + " has no HELP");
            assertTrue(!family.samples().isEmpty(), () -> family.name() + " has no sample");
        }
        PrometheusText.Family cdrs = families.get("opentrunk_cdr_records_total");
        assertEquals("CDRs by what became of them since start", cdrs.help());
        for (String state : new String[] {"submitted", "journaled", "written", "refused", "lost"}) {
            assertTrue(cdrs.value(Map.of("state", state)) >= 0, state);
        }
        assertEquals(5, cdrs.samples().size(), metrics::body);
        assertTrue(families.get("opentrunk_invites_in_setup_max").value(Map.of()) > 0, metrics::body);
        assertTrue(families.get("jvm_threads").value(Map.of()) > 0, metrics::body);
        assertTrue(families.get("process_uptime_seconds").value(Map.of()) > 0, metrics::body);
    }

    @Test
    void bodiesOverTheLimitAreRefusedWith413() throws Exception {
        String big = "{\"name\":\"" + "x".repeat(LIMIT + 10) + "\",\"techPrefix\":\"99990000\"}";
        Answer declared = send(CLIENT, "POST /api/v1/customers", ApiClient.ADMIN_PASSWORD, Map.of(), big, false);
        assertEquals(413, declared.status(), declared::toString);
        assertEquals("nosniff", declared.header("X-Content-Type-Options"));
        Answer chunked = send(CLIENT, "POST /api/v1/customers", ApiClient.ADMIN_PASSWORD, Map.of(), big, true);
        assertEquals(413, chunked.status(), chunked::toString);

        String justUnder = "{\"prefix\":\"1900\",\"note\":\"" + "n".repeat(LIMIT - 100) + "\"}";
        Answer under = send(CLIENT, "POST /api/v1/blocked-prefixes", ApiClient.ADMIN_PASSWORD, Map.of(), justUnder, true);
        assertEquals(422, under.status(), () -> "a body under the limit is read and judged on its content: " + under);

        Answer small = send(CLIENT, "POST /api/v1/blocked-prefixes", ApiClient.ADMIN_PASSWORD, Map.of(),
                "{\"prefix\":\"+1999555\",\"note\":\"chunked\"}", true);
        assertEquals(201, small.status(), () -> "a small chunked body works: " + small);
        assertEquals(204, ApiClient.asAdmin().delete("/api/v1/blocked-prefixes/%2B1999555").status());
    }

    @Test
    void injectionAttemptsAreJustData() throws Exception {
        ApiClient api = ApiClient.asAdmin();
        String count = api.get("/api/v1/numbers").body();
        for (String attempt : new String[] {"' OR 'a'='a", "%' OR TRUE --", "x\" OR n.e164 LIKE \"%", "x; DROP TABLE cdr"}) {
            String q = URLEncoder.encode(attempt, StandardCharsets.UTF_8);
            ApiClient.Reply numbers = api.get("/api/v1/numbers?search=" + q);
            assertEquals(200, numbers.status(), numbers::toString);
            // The search keeps only the digits of what it is given: "n.e164" searches for "164",
            // which numbers other tests left in the shared database may contain.
            String digits = attempt.replaceAll("[^0-9+]", "");
            String expected = digits.isEmpty() ? "[]" : api.get("/api/v1/numbers?search=" + digits).body().replace(" ", "");
            assertEquals(expected, numbers.body().replace(" ", ""), "only numbers containing \"" + digits + "\" match " + attempt);
            int cdrs = api.get("/api/v1/cdrs?number=" + q).status();
            assertTrue(cdrs == 422 || cdrs == 400, attempt + " is not a number: " + cdrs);
        }
        assertEquals(404, api.get("/api/v1/customers/1%20OR%201=1").status());
        assertEquals(count, api.get("/api/v1/numbers").body(), "nothing changed");
    }

    @Test
    void adminLoginIsThrottledPerAddress() throws Exception {
        for (int i = 0; i < LOGIN_FAILURES; i++) {
            Answer wrong = send(GUESSER, "GET /api/v1/carriers", "guess-" + i, Map.of(), null, false);
            assertEquals(401, wrong.status(), "wrong password " + i);
            assertTrue(wrong.header("WWW-Authenticate").startsWith("Basic"), wrong::toString);
        }
        Answer blocked = send(GUESSER, "GET /api/v1/carriers", ApiClient.ADMIN_PASSWORD, Map.of(), null, false);
        assertEquals(429, blocked.status(), () -> "throttled: even the right password is refused: " + blocked);
        assertTrue(Integer.parseInt(blocked.header("Retry-After")) > 0, blocked::toString);
        Answer elsewhere = send(OPERATOR_ELSEWHERE, "GET /api/v1/carriers", ApiClient.ADMIN_PASSWORD, Map.of(), null, false);
        assertEquals(200, elsewhere.status(), "another address logs in");
    }

    /** One HTTP/1.1 exchange from {@code local}, as admin with {@code password}, the body declared or chunked. */
    private static Answer send(String local, String requestLine, String password, Map<String, String> headers, String body,
                               boolean chunked) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(local, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", HTTP_PORT), 5_000);
            socket.setSoTimeout(20_000);
            StringBuilder head = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(HTTP_PORT)
                    .append("\r\nConnection: close\r\nAuthorization: Basic ")
                    .append(Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8))).append("\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                head.append("Content-Type: application/json\r\n");
                head.append(chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + payload.length + "\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
                if (body != null && chunked) {
                    for (int off = 0; off < payload.length; off += 8192) {
                        int n = Math.min(8192, payload.length - off);
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(payload, off, n);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } else {
                    out.write(payload);
                }
                out.flush();
            } catch (IOException refusedMidway) {
                // the server may answer 413 and close before taking the whole body: read that answer
            }
            return parse(readAll(socket.getInputStream()));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            for (int n; (n = in.read(chunk)) >= 0; ) {
                all.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException endedAbruptly) {
            // what arrived is the answer
        }
        return all.toByteArray();
    }

    private static Answer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("no HTTP answer: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        String body = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
    }

    /** An HTTP/1.1 chunked body without its framing (the scrape is parsed strictly). */
    private static String dechunk(String framed) {
        StringBuilder body = new StringBuilder(framed.length());
        int at = 0;
        while (true) {
            int lineEnd = framed.indexOf("\r\n", at);
            String size = framed.substring(at, lineEnd);
            int semicolon = size.indexOf(';');
            int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (n == 0) {
                return body.toString();
            }
            body.append(framed, lineEnd + 2, lineEnd + 2 + n);
            at = lineEnd + 2 + n + 2;
        }
    }
}
