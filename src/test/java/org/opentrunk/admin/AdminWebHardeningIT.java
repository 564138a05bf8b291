package org.opentrunk.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.LibertyServer;

/**
 * The admin web side under attack (issue 25), on a server of its own: thousands of anonymous GETs
 * of the login page create no HTTP session; oversize and chunked login POSTs are refused before
 * they are read; a logged-in operator's session cannot be used by a form posted from another
 * origin (a forged "delete customer"), while the same post from the page's own origin works.
 */
@Tag("IC-ADMIN")
class AdminWebHardeningIT {

    private static final String HOST = "127.0.0.141";
    private static final int HTTP_PORT = 20590;
    private static final int SIP_PORT = 16570;
    private static final String PASSWORD = "web-hardening-it-secret";
    private static final String BASE = "http://" + HOST + ":" + HTTP_PORT;
    /** Bounded: enough that a session per GET would be plain (each lives 30 minutes). */
    private static final int LOGIN_PAGE_GETS = 3_000;
    private static final Pattern VIEW_STATE = Pattern.compile("name=\"javax.faces.ViewState\"[^>]*value=\"([^\"]*)\"");
    private static final Pattern STARTED = Pattern.compile("(?m)^opentrunk_http_sessions_started_total (\\S+)$");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void theLoginPageHoldsNoSessionsAndFormsRefuseOtherOrigins() throws Exception {
        LibertyServer server = LibertyServer.create("web-hardening-it", Map.of("OT_SIP_HOST", HOST,
                "OT_SIP_PORT", String.valueOf(SIP_PORT), "OT_HTTP_HOST", HOST, "OT_HTTP_PORT", String.valueOf(HTTP_PORT),
                "OT_ADMIN_PASSWORD", PASSWORD, "OT_CARRIER_PROBE_INTERVAL", "0"));
        server.start();
        try {
            ApiClient api = ApiClient.asAdmin(HOST, HTTP_PORT, PASSWORD).awaitUp(Duration.ofSeconds(90));
            loginPageGetsCreateNoSessions();
            loginBodiesAreBounded();
            aForgedPostFromAnotherOriginIsRefused(api);
        } finally {
            server.stop();
        }
    }

    private void loginPageGetsCreateNoSessions() throws Exception {
        double before = sessionsStarted();
        for (int i = 0; i < LOGIN_PAGE_GETS; i++) {
            HttpResponse<String> page = get("/login.xhtml", Optional.empty());
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().allValues("Set-Cookie").isEmpty(), "no session cookie: " + page.headers());
        }
        assertEquals(before, sessionsStarted(), LOGIN_PAGE_GETS + " GETs of the login page started no HTTP session");
        // Nor does the error page: a missing page (a favicon) must not start one either, which a
        // browser's favicon request racing a login could otherwise set as its session cookie.
        for (String missing : new String[] {"/favicon.ico", "/no-such-page.html", "/no/such/page"}) {
            HttpResponse<String> page = get(missing, Optional.empty());
            assertEquals(404, page.statusCode(), missing);
            assertTrue(page.body().contains("Page not found"), page::body);
            assertTrue(page.headers().allValues("Set-Cookie").isEmpty(), () -> missing + " set a cookie: " + page.headers());
        }
        assertEquals(before, sessionsStarted(), "the error page started no HTTP session");
    }

    private void loginBodiesAreBounded() throws Exception {
        byte[] huge = ("login=login&login%3Ausername=admin&login%3Apassword=" + "x".repeat(1024 * 1024))
                .getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> tooLarge = http.send(form("/login.xhtml", Optional.empty(), BASE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, tooLarge.statusCode(), "a 1 MiB login body");
        HttpResponse<String> chunked = http.send(form("/login.xhtml", Optional.empty(), BASE)
                .version(HttpClient.Version.HTTP_1_1) // chunked: HTTP/1.1's way of sending a body of unknown length
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(411, chunked.statusCode(), "a login body without a length");
    }

    private void aForgedPostFromAnotherOriginIsRefused(ApiClient api) throws Exception {
        assertEquals(201, api.post("/api/v1/customers", "{\"name\":\"victim\",\"techPrefix\":\"81118111\",\"ips\":[\"127.0.0.147\"]}")
                .status());
        String session = login();

        HttpResponse<String> customers = get("/admin/customers.xhtml", Optional.of(session));
        String page = customers.body();
        assertTrue(page.contains("victim"), page);
        // the pages allow a policy without 'unsafe-inline': no inline script, handler or style in them
        String policy = customers.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(policy.contains("script-src 'self';") && !policy.contains("unsafe-inline"), policy);
        assertTrue(!Pattern.compile("(?i)<script(?![^>]*\\bsrc=)|\\son[a-z]+=\"|\\sstyle=\"").matcher(page).find(), page);
        String deleteVictim = encode(Map.of("list_SUBMIT", "1", "list:customers:0:delete", "Delete",
                "javax.faces.ViewState", viewState(page)));
        for (String origin : new String[] {"http://evil.example", "null", "http://" + HOST + ":1"}) {
            HttpResponse<String> forged = http.send(form("/admin/customers.xhtml", Optional.of(session), origin)
                    .POST(HttpRequest.BodyPublishers.ofString(deleteVictim)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, forged.statusCode(), "Origin " + origin + ": " + forged.body());
            assertTrue(api.get("/api/v1/customers").body().contains("victim"), "the forged post deleted nothing");
        }
        HttpResponse<String> forgedByReferer = http.send(form("/admin/customers.xhtml", Optional.of(session), null)
                .header("Referer", "http://evil.example/page.html")
                .POST(HttpRequest.BodyPublishers.ofString(deleteVictim)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, forgedByReferer.statusCode(), "no Origin, another site's Referer");

        // the same form from the page's own origin: the operator's delete works
        HttpResponse<String> own = http.send(form("/admin/customers.xhtml", Optional.of(session), BASE)
                .POST(HttpRequest.BodyPublishers.ofString(deleteVictim)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(own.statusCode() == 200 || own.statusCode() == 302, own.statusCode() + " " + own.body());
        assertTrue(!api.get("/api/v1/customers").body().contains("victim"), () -> "deleted from the admin's own page: "
                + own.statusCode() + " " + own.headers().map() + "\n" + deleteVictim + "\n" + own.body());
    }

    /** Logs in as the browser does; the session cookie ("JSESSIONID=..."). */
    private String login() throws Exception {
        double before = sessionsStarted();
        String body = encode(Map.of("login:username", "admin", "login:password", PASSWORD, "login:submit", "Log in"));
        HttpResponse<String> answer = http.send(form("/login.xhtml", Optional.empty(), BASE)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, answer.statusCode(), answer.body());
        String cookie = answer.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .findFirst().orElseThrow(() -> new AssertionError("no session cookie: " + answer.headers()));
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        assertEquals(before + 1, sessionsStarted(), "the login started one session");
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private HttpResponse<String> get(String path, Optional<String> cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(10));
        cookie.ifPresent(c -> request.header("Cookie", c));
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder form(String path, Optional<String> cookie, String origin) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded");
        cookie.ifPresent(c -> request.header("Cookie", c));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return request;
    }

    private double sessionsStarted() throws Exception {
        String metrics = get("/metrics", Optional.empty()).body();
        Matcher m = STARTED.matcher(metrics);
        assertTrue(m.find(), metrics);
        return Double.parseDouble(m.group(1));
    }

    private static String viewState(String page) {
        Matcher m = VIEW_STATE.matcher(page);
        assertTrue(m.find(), "a view state in " + page);
        return m.group(1).replace("&#58;", ":").replace("&amp;", "&");
    }

    private static String encode(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
