package org.opentrunk.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.Dialog;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;

/**
 * The admin's first page (issue 26) in headless Chromium, on a server of its own: the last hour's
 * charts (calls per second, concurrent calls, ASR) drawn by uPlot from its WebJar with the calls
 * made, overall and per carrier; the live call's Media column; the CDR page paging past 200 rows
 * and its time-range filter, on 250 CDRs made by real INVITEs on both sides of a minute boundary.
 */
@Tag("IC-ADMIN") @Tag("IC-CDR")
class AdminChartsIT {

    private static final int SIP_PORT = 16670;
    private static final int HTTP_PORT = 20690;
    private static final String BASE = "http://127.0.0.1:" + HTTP_PORT;
    private static final String PASSWORD = "charts-it-secret";
    private static final String DOMAIN = "charts.test";
    private static final String PBX = "127.0.0.154";
    private static final String CARRIER = "127.0.0.155";
    private static final int CARRIER_PORT = 15060;
    private static final String REFUSED_PBX = "127.0.0.156";
    private static final String PREFIX = "15415415";
    private static final String REFUSED_PREFIX = "15615615";
    /** Refused attempts before the minute boundary, and after it (more than a page of 200 together). */
    private static final int BEFORE = 20;
    private static final int AFTER = 230;
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String OFFER = "v=0\r\no=a 1 1 IN IP4 127.0.0.154\r\ns=-\r\nc=IN IP4 127.0.0.154\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    private static final String ANSWER = "v=0\r\no=b 7 7 IN IP4 127.0.0.155\r\ns=-\r\nc=IN IP4 127.0.0.155\r\nt=0 0\r\n"
            + "m=audio 50000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

    @Test
    void chartsLiveCallColumnsAndCdrPaging() throws Exception {
        LibertyServer server = LibertyServer.trunk("charts-it", "127.0.0.1", SIP_PORT, HTTP_PORT, PASSWORD, DOMAIN);
        server.start();
        Path profile = Files.createTempDirectory("chromium-charts-it");
        WebDriver driver = null;
        try {
            ApiClient api = ApiClient.asAdmin(HTTP_PORT, PASSWORD).awaitUp(Duration.ofSeconds(90));
            ApiClient.Reply carrier = api.post("/api/v1/carriers", "{\"name\":\"Chart Carrier\",\"host\":\"" + CARRIER
                    + "\",\"port\":" + CARRIER_PORT + "}");
            assertEquals(201, carrier.status(), carrier::toString);
            long carrierId = carrier.json().getJsonNumber("id").longValue();
            customer(api, "caller", PREFIX, PBX, 1);
            long refusedCustomer = customer(api, "pager", REFUSED_PREFIX, REFUSED_PBX, 0);

            driver = AdminPagesIT.browser(profile);
            login(driver);
            var trunk = SipTestClient.address("127.0.0.1", SIP_PORT);
            long nextMinute;
            String boundary;
            try (SipTestClient gw = new SipTestClient(Transport.UDP, CARRIER, CARRIER_PORT, trunk);
                 SipTestClient pbx = new SipTestClient(Transport.UDP, PBX, trunk);
                 SipTestClient refused = new SipTestClient(Transport.UDP, REFUSED_PBX, trunk)) {
                // An answered call, seen live: the Media and Codec columns, concurrency 1.
                SipMessage invite = invite(pbx, PREFIX, "+12066418000");
                SipMessage atCarrier = gw.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
                gw.send(atCarrier.response(200, "OK", "gw1", "Contact: <sip:gw@" + CARRIER + ":" + CARRIER_PORT + ">\r\n"
                        + "Content-Type: application/sdp\r\n", ANSWER));
                SipMessage ok = pbx.await(m -> m.isResponse() && m.status() == 200 && "INVITE".equals(m.method()), WAIT);
                Dialog call = new Dialog(pbx, invite, ok);
                pbx.send(call.ack());
                gw.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);

                driver.get(BASE + "/admin/index.xhtml");
                List<String> headers = driver.findElements(By.cssSelector("table.list th")).stream().map(WebElement::getText).toList();
                assertTrue(headers.containsAll(List.of("Codec", "Media")), headers::toString);
                WebElement row = driver.findElement(By.cssSelector("table.list tbody tr"));
                assertTrue(row.getText().contains("direct"), row::getText);
                Map<String, Object> live = series(driver, "chart-live");
                assertEquals(1.0, max(live, "live"), "the call now is the hour's peak: " + live);
                AdminPagesIT.screenshot(driver, "charts-live-call");
                // The carrier's live calls are counted every few seconds: its chart shows the call.
                long sampledBy = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                double carrierLive;
                do {
                    driver.get(BASE + "/admin/carriers.xhtml");
                    carrierLive = max(series(driver, "live-" + carrierId), "live");
                } while (carrierLive < 1 && System.nanoTime() < sampledBy && sleep());
                assertEquals(1.0, carrierLive, "the carrier's live calls were sampled during the call");

                pbx.send(call.request("BYE", "", ""));
                SipMessage bye = gw.await(m -> !m.isResponse() && "BYE".equals(m.method()), WAIT);
                gw.send(bye.response(200, "OK", null, "", ""));
                assertEquals(200, pbx.await(m -> m.isResponse() && "BYE".equals(m.method()), WAIT).status());

                // Refused attempts (maxChannels 0; the rate limit and fraud guard refuse some first): CDRs all.
                for (int i = 0; i < BEFORE; i++) {
                    refusedCall(refused, i);
                }
                nextMinute = (System.currentTimeMillis() / 60_000 + 1) * 60_000;
                Thread.sleep(nextMinute - System.currentTimeMillis() + 200);
                for (int i = BEFORE; i < BEFORE + AFTER; i++) {
                    refusedCall(refused, i);
                }
                awaitCdrs(api, refusedCustomer, BEFORE + AFTER);
                boundary = LocalDateTime.ofInstant(Instant.ofEpochMilli(nextMinute), ZoneOffset.UTC).format(MINUTE);

                // The charts: three on the first page, with every attempt of the hour counted.
                driver.get(BASE + "/admin/index.xhtml");
                for (String id : List.of("chart-cps", "chart-live", "chart-asr")) {
                    assertFalse(driver.findElements(By.cssSelector("#live\\:" + id + " canvas, #" + id + " canvas")).isEmpty(),
                            id + " drawn");
                }
                Map<String, Object> overall = series(driver, "chart-cps");
                assertEquals(1 + BEFORE + AFTER, Math.round(sum(overall, "cps") * 60), overall::toString);
                assertEquals(60, ((List<?>) overall.get("t")).size(), "one point a minute for an hour");
                AdminPagesIT.screenshot(driver, "charts-first-page");

                // Per carrier: its one attempt, answered.
                driver.get(BASE + "/admin/carriers.xhtml");
                assertFalse(driver.findElements(By.cssSelector("#cps-" + carrierId + " canvas")).isEmpty(), "carrier chart drawn");
                Map<String, Object> perCarrier = series(driver, "cps-" + carrierId);
                assertEquals(1, Math.round(sum(perCarrier, "cps") * 60), perCarrier::toString);
                assertEquals(100.0, max(perCarrier, "asr"));
                assertEquals("1 call, ASR 100 %", AdminPagesIT.text(driver, "hour-" + carrierId));
                AdminPagesIT.screenshot(driver, "charts-carriers");
            }

            // CDRs: paging past 200 rows, then the time range.
            driver.get(BASE + "/admin/cdrs.xhtml");
            new Select(driver.findElement(By.id("filter:customerId"))).selectByVisibleText("pager");
            AdminPagesIT.submit(driver, "filter:search");
            assertEquals("Rows 1–200", AdminPagesIT.text(driver, "filter:rows"));
            assertEquals(200, rows(driver));
            assertFalse(driver.findElement(By.id("filter:newer")).isEnabled());
            AdminPagesIT.submit(driver, "filter:older");
            assertEquals("Rows 201–" + (BEFORE + AFTER), AdminPagesIT.text(driver, "filter:rows"));
            assertEquals(BEFORE + AFTER - 200, rows(driver));
            assertFalse(driver.findElement(By.id("filter:older")).isEnabled(), "the last page");
            AdminPagesIT.screenshot(driver, "cdrs-page-2");
            AdminPagesIT.submit(driver, "filter:newer");
            assertEquals("Rows 1–200", AdminPagesIT.text(driver, "filter:rows"));

            setValue(driver, "filter:since", boundary);
            AdminPagesIT.submit(driver, "filter:search");
            assertEquals("Rows 1–200", AdminPagesIT.text(driver, "filter:rows"), "from the boundary: the later attempts");
            AdminPagesIT.submit(driver, "filter:older");
            assertEquals("Rows 201–" + AFTER, AdminPagesIT.text(driver, "filter:rows"));
            assertTrue(driver.findElement(By.id("filter:csv")).getAttribute("href").contains("since="), "the CSV link keeps the filter");

            setValue(driver, "filter:since", "");
            setValue(driver, "filter:until", boundary);
            AdminPagesIT.submit(driver, "filter:search");
            assertEquals("Rows 1–" + BEFORE, AdminPagesIT.text(driver, "filter:rows"), "until the boundary: the earlier ones");
            assertEquals(BEFORE, rows(driver));
            assertFalse(driver.findElement(By.id("filter:older")).isEnabled());

            setValue(driver, "filter:since", LocalDateTime.ofInstant(Instant.ofEpochMilli(nextMinute + 3_600_000), ZoneOffset.UTC)
                    .format(MINUTE));
            setValue(driver, "filter:until", "");
            AdminPagesIT.submit(driver, "filter:search");
            assertEquals("No CDRs match.", AdminPagesIT.text(driver, "filter:none"));
            AdminPagesIT.screenshot(driver, "cdrs-time-range");
        } finally {
            if (driver != null) {
                driver.quit();
            }
            server.stop();
        }
    }

    private static void login(WebDriver driver) {
        driver.get(BASE + "/admin/");
        AdminPagesIT.type(driver, "login:username", "admin");
        AdminPagesIT.type(driver, "login:password", PASSWORD);
        AdminPagesIT.submit(driver, "login:submit");
        assertTrue(driver.getCurrentUrl().startsWith(BASE + "/admin/index.xhtml"), driver.getCurrentUrl());
    }

    /** The data a chart element was drawn from, once charts.js has drawn it. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> series(WebDriver driver, String id) {
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> ((JavascriptExecutor) d).executeScript(
                "var e = document.getElementById(arguments[0]) || document.getElementById('live:' + arguments[0]);"
                        + " return e && e.getAttribute('data-drawn');", id) != null);
        return (Map<String, Object>) ((JavascriptExecutor) driver).executeScript(
                "var e = document.getElementById(arguments[0]) || document.getElementById('live:' + arguments[0]);"
                        + " return JSON.parse(e.getAttribute('data-series'));", id);
    }

    private static double sum(Map<String, Object> series, String name) {
        return ((List<?>) series.get(name)).stream().filter(v -> v != null).mapToDouble(v -> ((Number) v).doubleValue()).sum();
    }

    private static double max(Map<String, Object> series, String name) {
        return ((List<?>) series.get(name)).stream().filter(v -> v != null).mapToDouble(v -> ((Number) v).doubleValue())
                .max().orElse(-1);
    }

    /** Half a second's pause in a polling loop; true. */
    private static boolean sleep() throws InterruptedException {
        Thread.sleep(500);
        return true;
    }

    private static int rows(WebDriver driver) {
        return driver.findElements(By.cssSelector("#filter\\:cdrs tbody tr")).size();
    }

    private static void setValue(WebDriver driver, String id, String value) {
        ((JavascriptExecutor) driver).executeScript("document.getElementById(arguments[0]).value = arguments[1];", id, value);
    }

    /** One INVITE refused by OpenTrunk (a CDR with cause refused), acknowledged. */
    private static void refusedCall(SipTestClient pbx, int n) throws Exception {
        SipMessage invite = invite(pbx, REFUSED_PREFIX, "+1206641" + String.format("%04d", n));
        String callId = invite.header("Call-ID").orElseThrow();
        SipMessage answer = pbx.await(m -> m.isResponse() && m.status() >= 200
                && callId.equals(m.header("Call-ID").orElse("")), WAIT);
        assertTrue(answer.status() == 403 || answer.status() == 503, answer::toString);
        pbx.send(SipTestClient.ackFor(invite, answer));
    }

    private static void awaitCdrs(ApiClient api, long customerId, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int found = 0;
        while (System.nanoTime() < deadline) {
            found = api.get("/api/v1/cdrs?customerId=" + customerId + "&limit=1000").array().size();
            if (found == count) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(found + " CDRs of customer " + customerId + ", not " + count);
    }

    private static long customer(ApiClient api, String name, String prefix, String ip, int maxChannels) throws Exception {
        ApiClient.Reply r = api.post("/api/v1/customers", "{\"name\":\"" + name + "\",\"techPrefix\":\"" + prefix
                + "\",\"ips\":[\"" + ip + "\"],\"maxChannels\":" + maxChannels + "}");
        assertEquals(201, r.status(), r::toString);
        return r.json().getJsonNumber("id").longValue();
    }

    private static SipMessage invite(SipTestClient from, String prefix, String number) throws java.io.IOException {
        String text = from.newRequest("INVITE", "sip:" + prefix + "*" + number + "@" + DOMAIN, "Content-Type: application/sdp\r\n", OFFER);
        from.send(text);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return SipMessage.parse(bytes, bytes.length);
    }
}
