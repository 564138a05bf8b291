package org.opentrunk.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.json.JsonObject;
import javax.json.JsonString;
import javax.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.Dialog;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.TestNet;
import org.opentrunk.testing.TestNetProvisioning;
import org.opentrunk.testing.TrunkUnderTest;

/**
 * The web admin (IC-ADMIN) in a real browser: Debian's headless Chromium driven by Selenium
 * through /usr/bin/chromedriver (no driver download). A screenshot of each page is saved under
 * target/screenshots/.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("IC-ADMIN")
class AdminPagesIT {

    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final String CHROMIUM = "/usr/bin/chromium";
    static final Path SCREENSHOTS = Path.of("target/screenshots");
    static final Duration WAIT = Duration.ofSeconds(15);
    static final Duration SIP_WAIT = Duration.ofSeconds(5);
    static final String BASE = "http://127.0.0.1:" + Integer.getInteger("arq.httpPort", 19080);
    static final String OFFER = "v=0\r\no=pbx 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
    static final String ANSWER = "v=0\r\no=carrier 7 7 IN IP4 127.0.0.3\r\ns=-\r\nc=IN IP4 127.0.0.3\r\nt=0 0\r\n"
            + "m=audio 50000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    /** Headless Chromium with a fresh profile; Selenium is given the driver, so it never looks for one. */
    static WebDriver browser(Path profile) {
        return browser(profile, new ChromeOptions());
    }

    /** As {@link #browser(Path)}, starting from {@code options} (e.g. accepting a self-signed certificate). */
    static WebDriver browser(Path profile, ChromeOptions options) {
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1366,900", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
        return driver;
    }

    @Test
    void everyAdminUrlAsksForALoginFirst() throws Exception {
        Path profile = Files.createTempDirectory("chromium-admin-it");
        WebDriver driver = browser(profile);
        try {
            for (String path : List.of("/admin/", "/admin/index.xhtml", "/admin/numbers.xhtml", "/admin/number.xhtml?e164=%2B12066418000",
                    "/admin/customers.xhtml", "/admin/carriers.xhtml", "/admin/cdrs.xhtml", "/admin/password.xhtml",
                    "/admin/cdrs.csv")) {
                driver.get(BASE + path);
                assertTrue(driver.getCurrentUrl().startsWith(BASE + "/login.xhtml"), () -> path + " went to " + driver.getCurrentUrl());
                assertFalse(driver.getPageSource().contains("Live calls"), path);
            }
            screenshot(driver, "login");
            // a wrong password is refused on the page, and still no admin page
            driver.findElement(By.id("login:password")).sendKeys("not-the-password");
            submit(driver, "login:submit");
            assertTrue(text(driver, "login").contains("Wrong user name or password"), driver.getPageSource());
            driver.get(BASE + "/admin/numbers.xhtml");
            assertTrue(driver.getCurrentUrl().startsWith(BASE + "/login.xhtml"));
        } finally {
            driver.quit();
        }
        // and nothing under /admin answers without a session, whatever the client follows
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> csv = http.send(HttpRequest.newBuilder(URI.create(BASE + "/admin/cdrs.csv"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, csv.statusCode());
        assertTrue(csv.headers().firstValue("Location").orElse("").endsWith("/login.xhtml"), csv.headers().toString());
    }

    @Test
    void operatorProvisionsAndFindsTheCallInTheCdrs() throws Exception {
        TestNetProvisioning.ensure();
        ApiClient api = ApiClient.asAdmin();
        String suffix = String.format("%04d", ThreadLocalRandom.current().nextInt(10_000));
        String number = "+1206641" + suffix;
        String tollFree = "+1800555" + suffix;
        String customerName = "Browser Co " + suffix;
        api.delete("/api/v1/numbers/" + number);
        api.delete("/api/v1/numbers/" + tollFree);

        Path profile = Files.createTempDirectory("chromium-admin-it");
        WebDriver driver = browser(profile);
        try {
            login(driver);
            screenshot(driver, "live-calls");

            // a customer, with a generated tech prefix
            driver.get(BASE + "/admin/customers.xhtml");
            type(driver, "customer:name", customerName);
            driver.findElement(By.id("customer:generate")).click();
            new WebDriverWait(driver, WAIT).until(d -> d.findElement(By.id("customer:techPrefix")).getAttribute("value").matches("\\d{8}"));
            String techPrefix = driver.findElement(By.id("customer:techPrefix")).getAttribute("value");
            type(driver, "customer:ips", "198.51.100." + (1 + Integer.parseInt(suffix) % 250));
            type(driver, "customer:allowedPrefixes", "+1, +44");
            submit(driver, "customer:save");
            assertTrue(text(driver, "messages").contains("Customer created: " + customerName), driver.getPageSource());
            assertTrue(text(driver, "list:customers").contains(techPrefix));
            screenshot(driver, "customers");
            long customerId = api.get("/api/v1/customers").array().stream().map(JsonValue::asJsonObject)
                    .filter(c -> techPrefix.equals(c.getString("techPrefix"))).findFirst().orElseThrow()
                    .getJsonNumber("id").longValue();

            // a bad number is refused next to its field; then the number with two routes
            driver.get(BASE + "/admin/number.xhtml");
            type(driver, "number:e164", "+1555");
            new Select(driver.findElement(By.id("number:customerId"))).selectByVisibleText(customerName + " (" + techPrefix + ")");
            submit(driver, "number:addRoute");
            submit(driver, "number:addRoute");
            type(driver, "number:routes:0:target", "pbx-a.example.net:5060");
            new Select(driver.findElement(By.id("number:routes:1:type"))).selectByVisibleText("uri");
            type(driver, "number:routes:1:target", "sip:pbx-b.example.net;transport=tcp");
            submit(driver, "number:save");
            String numberError = fieldMessage(driver, "number:e164");
            assertFalse(numberError.isBlank(), () -> "a message next to the number: " + driver.getPageSource());
            screenshot(driver, "number-invalid");
            type(driver, "number:e164", number);
            submit(driver, "number:save");
            assertTrue(text(driver, "messages").contains("Number created: " + number), driver.getPageSource());

            // the routes reorder: the URI route first
            submit(driver, "number:routes:1:up");
            submit(driver, "number:save");
            assertTrue(text(driver, "messages").contains("Number saved"), driver.getPageSource());

            // a CNAM name
            type(driver, "cnam:name", "ACME CORP");
            submit(driver, "cnam:setCnam");
            assertTrue(text(driver, "messages").contains("CNAM name stored"), driver.getPageSource());
            screenshot(driver, "number");

            // the same data through the REST API
            JsonObject viaApi = api.get("/api/v1/numbers/" + number).json();
            assertEquals(customerId, viaApi.getJsonNumber("customerId").longValue());
            assertEquals("ACME CORP", viaApi.getString("cnamName"));
            assertEquals(2, viaApi.getJsonArray("routes").size(), viaApi.toString());
            JsonObject first = viaApi.getJsonArray("routes").getJsonObject(0);
            assertEquals("uri", first.getString("type"), viaApi.toString());
            assertEquals("sip:pbx-b.example.net;transport=tcp", first.getString("target"));
            assertEquals(10, first.getInt("priority"), "moving up swapped the priorities");
            assertEquals("host", viaApi.getJsonArray("routes").getJsonObject(1).getString("type"));
            assertEquals("ACME CORP", api.get("/api/v1/numbers/" + number + "/cnam").json().getString("name"));

            // CNAM on a toll-free number: explained on the page, refused next to the field
            assertEquals(201, api.post("/api/v1/numbers", "{\"e164\":\"" + tollFree + "\",\"customerId\":" + customerId + "}").status());
            driver.get(BASE + "/admin/number.xhtml?e164=" + tollFree.replace("+", "%2B"));
            assertTrue(text(driver, "cnam-refusal").contains("toll-free"), driver.getPageSource());
            type(driver, "cnam:name", "FREE CALL");
            submit(driver, "cnam:setCnam");
            assertTrue(fieldMessage(driver, "cnam:name").contains("toll-free numbers cannot hold CNAM storage"), driver.getPageSource());
            assertEquals(404, api.get("/api/v1/numbers/" + tollFree + "/cnam").status(), "nothing stored");
            screenshot(driver, "number-toll-free");

            // the numbers list finds it
            driver.get(BASE + "/admin/numbers.xhtml");
            type(driver, "numbers:search", "641" + suffix);
            submit(driver, "numbers:find");
            assertTrue(text(driver, "numbers:list").contains(number), driver.getPageSource());
            assertTrue(text(driver, "numbers:list").contains(customerName));
            screenshot(driver, "numbers");

            driver.get(BASE + "/admin/carriers.xhtml");
            assertTrue(text(driver, "list:carriers").contains(TestNetProvisioning.CARRIER_NAME));
            screenshot(driver, "carriers");
            driver.get(BASE + "/admin/password.xhtml");
            screenshot(driver, "password");

            // a call with an X-Tag, then its CDR on the page and in the CSV download
            String xTag = "<b>tag-" + suffix + "</b>&x";
            String callee = "+1206641" + String.format("%04d", (Integer.parseInt(suffix) + 1) % 10_000);
            placeCall(callee, xTag);
            awaitCdr(api, callee);
            driver.get(BASE + "/admin/cdrs.xhtml");
            type(driver, "filter:number", callee);
            new Select(driver.findElement(By.id("filter:direction"))).selectByVisibleText("outbound");
            submit(driver, "filter:search");
            String table = text(driver, "filter:cdrs");
            assertTrue(table.contains(xTag), () -> "the X-Tag, escaped and shown as text: " + table);
            assertTrue(driver.findElements(By.cssSelector("#filter\\:cdrs b")).isEmpty(), "no markup from an X-Tag");
            screenshot(driver, "cdrs");

            String csvUrl = driver.findElement(By.id("filter:csv")).getAttribute("href");
            assertTrue(csvUrl.contains("number=%2B1206641"), csvUrl);
            Cookie session = driver.manage().getCookieNamed("JSESSIONID");
            HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(csvUrl))
                    .header("Cookie", session.getName() + "=" + session.getValue()).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, csv.statusCode(), csv.body());
            assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
            String[] lines = csv.body().split("\r\n");
            assertTrue(lines[0].startsWith("id,direction,"), lines[0]);
            assertTrue(lines.length >= 2, csv.body());
            for (int i = 1; i < lines.length; i++) {
                assertTrue(lines[i].contains(callee) && lines[i].contains(",outbound,"), "only the filtered calls: " + lines[i]);
            }
            assertTrue(lines[1].contains(xTag), "the newest first, with its X-Tag: " + lines[1]);

            // the row's link opens the call page: the ladder, customer | OpenTrunk | carrier (issue 26)
            driver.findElement(By.id("filter:cdrs:0:ladder")).click();
            assertTrue(driver.getCurrentUrl().contains("/admin/call.xhtml?id="), driver.getCurrentUrl());
            List<WebElement> arrows = driver.findElements(By.cssSelector("#ladder details.message > summary"));
            List<String> labels = arrows.stream().map(WebElement::getText).toList();
            assertEquals(List.of("INVITE \u2192", "INVITE \u2192"), labels.subList(0, 2), () -> "the INVITE crosses both gaps: " + labels);
            assertEquals(2, labels.stream().filter("\u2190 200 OK (INVITE)"::equals).count(), () -> "the 200 comes back: " + labels);
            assertTrue(labels.contains("BYE \u2192") && labels.contains("\u2190 200 OK (BYE)"), labels::toString);
            List<WebElement> messages = driver.findElements(By.cssSelector("#ladder details.message"));
            assertEquals("caller", messages.get(0).getAttribute("data-leg"));
            assertEquals("callee", messages.get(1).getAttribute("data-leg"));
            WebElement fullText = messages.get(1).findElement(By.tagName("pre"));
            assertFalse(fullText.isDisplayed(), "the full text opens on click");
            arrows.get(1).click();
            assertTrue(fullText.isDisplayed());
            assertTrue(fullText.getText().startsWith("INVITE sip:" + callee), fullText::getText);
            assertTrue(fullText.getText().contains(xTag) || fullText.getText().contains("Call-ID:"), fullText::getText);
            assertTrue(driver.findElements(By.cssSelector("#ladder b")).isEmpty(), "no markup from a message's text");
            screenshot(driver, "call-ladder");

            // logging out ends the session
            submit(driver, "logout:logout");
            driver.get(BASE + "/admin/cdrs.xhtml");
            assertTrue(driver.getCurrentUrl().startsWith(BASE + "/login.xhtml"), driver.getCurrentUrl());
        } finally {
            driver.quit();
        }
    }

    /**
     * The provisioning fields of #19 on the pages: a customer's country, caller-ID policy, verified
     * numbers and digest algorithms (IC-COUNTRY, IC-CALLER-OWNER, IC-DIGEST), a carrier's country
     * and emergency flag (IC-EMERGENCY); a bad value is refused next to its field.
     */
    @Test
    void operatorSetsCountryCallerIdPolicyAndEmergencyCarrier() throws Exception {
        ApiClient api = ApiClient.asAdmin();
        String suffix = String.format("%04d", ThreadLocalRandom.current().nextInt(10_000));
        String customerName = "Country Co " + suffix;
        String carrierName = "emergency-gw-" + suffix;

        Path profile = Files.createTempDirectory("chromium-admin-it");
        WebDriver driver = browser(profile);
        try {
            login(driver);
            driver.get(BASE + "/admin/customers.xhtml");
            assertTrue(text(driver, "customer").contains("several customers may share an address"), "IC-SHARED-IP hint");
            type(driver, "customer:name", customerName);
            driver.findElement(By.id("customer:generate")).click();
            new WebDriverWait(driver, WAIT).until(d -> d.findElement(By.id("customer:techPrefix")).getAttribute("value").matches("\\d{8}"));
            String techPrefix = driver.findElement(By.id("customer:techPrefix")).getAttribute("value");
            type(driver, "customer:ips", "198.51.100.7");
            type(driver, "customer:country", "XX");
            new Select(driver.findElement(By.id("customer:callerIdPolicy"))).selectByValue("own");
            type(driver, "customer:verifiedNumbers", "+12066418000, +442079460000");
            type(driver, "customer:digestAlgorithms", "SHA-256, MD5");

            // an unknown country: refused next to its field, nothing stored, the typed values kept
            submit(driver, "customer:save");
            assertTrue(fieldMessage(driver, "customer:country").contains("'XX' is not an ISO 3166-1 alpha-2 country code"),
                    driver.getPageSource());
            assertTrue(api.get("/api/v1/customers").array().stream().map(JsonValue::asJsonObject)
                    .noneMatch(c -> techPrefix.equals(c.getString("techPrefix"))), "nothing stored");
            String countryCell = driver.findElement(By.xpath("//input[@id='customer:country']/following-sibling::*[1]")).getText();
            assertTrue(countryCell.contains("'XX'") && countryCell.contains("e.g. US, GB"), "error and hint in one grid cell: " + countryCell);
            screenshot(driver, "customer-invalid-country");
            assertEquals("+12066418000, +442079460000", driver.findElement(By.id("customer:verifiedNumbers")).getAttribute("value"));

            type(driver, "customer:country", "us");
            submit(driver, "customer:save");
            assertTrue(text(driver, "messages").contains("Customer created: " + customerName), driver.getPageSource());
            WebElement row = driver.findElement(By.xpath("//table[@id='list:customers']//tr[td[contains(., '" + techPrefix + "')]]"));
            assertTrue(row.getText().contains("US") && row.getText().contains("own"), row.getText());
            assertEquals("US", driver.findElement(By.id("customer:country")).getAttribute("value"), "the edit form shows the stored form");
            assertEquals("own", new Select(driver.findElement(By.id("customer:callerIdPolicy"))).getFirstSelectedOption().getAttribute("value"));
            screenshot(driver, "customer-fields");

            // the REST API sees what the page stored
            JsonObject viaApi = api.get("/api/v1/customers").array().stream().map(JsonValue::asJsonObject)
                    .filter(c -> techPrefix.equals(c.getString("techPrefix"))).findFirst().orElseThrow();
            assertEquals("US", viaApi.getString("country"), viaApi.toString());
            assertEquals("own", viaApi.getString("callerIdPolicy"));
            assertEquals(List.of("+12066418000", "+442079460000"),
                    viaApi.getJsonArray("verifiedNumbers").getValuesAs(JsonString::getString));
            assertEquals(List.of("SHA-256", "MD5"), viaApi.getJsonArray("digestAlgorithms").getValuesAs(JsonString::getString));
            api.delete("/api/v1/customers/" + viaApi.getJsonNumber("id").longValue());

            // a carrier for emergency calls, disabled so that no other call is routed to it
            driver.get(BASE + "/admin/carriers.xhtml");
            type(driver, "carrier:name", carrierName);
            type(driver, "carrier:host", "192.0.2.19");
            type(driver, "carrier:country", "gb");
            driver.findElement(By.id("carrier:enabled")).click();
            driver.findElement(By.id("carrier:emergency")).click();
            submit(driver, "carrier:save");
            assertTrue(text(driver, "messages").contains("Carrier created: " + carrierName), driver.getPageSource());
            WebElement carrierRow = driver.findElement(By.xpath("//table[@id='list:carriers']//tr[td[normalize-space(.)='" + carrierName + "']]"));
            List<String> cells = carrierRow.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
            assertEquals(List.of("no", "GB", "yes"), cells.subList(5, 8), "enabled, country, emergency: " + cells);
            assertTrue(driver.findElement(By.id("carrier:emergency")).isSelected(), "the edit form shows the flag");
            screenshot(driver, "carriers-emergency");
            JsonObject carrier = api.get("/api/v1/carriers").array().stream().map(JsonValue::asJsonObject)
                    .filter(c -> carrierName.equals(c.getString("name"))).findFirst().orElseThrow();
            assertTrue(carrier.getBoolean("emergency"), carrier.toString());
            assertEquals("GB", carrier.getString("country"));
            api.delete("/api/v1/carriers/" + carrier.getJsonNumber("id").longValue());
        } finally {
            driver.quit();
        }
    }

    static void login(WebDriver driver) {
        driver.get(BASE + "/admin/");
        type(driver, "login:username", "admin");
        type(driver, "login:password", ApiClient.ADMIN_PASSWORD);
        submit(driver, "login:submit");
        assertTrue(driver.getCurrentUrl().startsWith(BASE + "/admin/index.xhtml"), driver.getCurrentUrl());
        assertTrue(text(driver, "dashboard").contains("Calls now"));
    }

    /** An answered and hung-up outbound call from the test PBX (IP authentication) with an X-Tag. */
    static void placeCall(String callee, String xTag) throws Exception {
        try (SipTestClient carrier = new SipTestClient(SipTestClient.Transport.UDP, TestNet.CARRIER, TestNet.CARRIER_PORT,
                SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT));
             SipTestClient pbx = new SipTestClient(SipTestClient.Transport.UDP, TestNet.CUSTOMER_PBX,
                     SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT))) {
            String text = pbx.newRequest("INVITE", "sip:" + TestNetProvisioning.CUSTOMER_TECH_PREFIX + "*" + callee + "@"
                    + TestNet.TRUNK_DOMAIN, "Content-Type: application/sdp\r\nX-Tag: " + xTag + "\r\n", OFFER);
            SipMessage sent = SipMessage.parse(text.getBytes(), text.length());
            pbx.send(text);
            SipMessage atCarrier = carrier.await(m -> !m.isResponse() && "INVITE".equals(m.method()), SIP_WAIT);
            carrier.send(atCarrier.response(200, "OK", "adm1", "Contact: <sip:gw@" + TestNet.CARRIER + ":"
                    + TestNet.CARRIER_PORT + ">\r\n", ANSWER));
            SipMessage ok = pbx.await(m -> m.isResponse() && m.status() == 200 && "INVITE".equals(m.method()), SIP_WAIT);
            Dialog call = new Dialog(pbx, sent, ok);
            pbx.send(call.ack());
            carrier.await(m -> !m.isResponse() && "ACK".equals(m.method()), SIP_WAIT);
            pbx.send(call.request("BYE", "", ""));
            SipMessage bye = carrier.await(m -> !m.isResponse() && "BYE".equals(m.method()), SIP_WAIT);
            carrier.send(bye.response(200, "OK", null, "", ""));
            pbx.await(m -> m.isResponse() && "BYE".equals(m.method()), SIP_WAIT);
        }
    }

    /** CDRs are written asynchronously: waits until the call's is readable. */
    static void awaitCdr(ApiClient api, String callee) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!api.get("/api/v1/cdrs?number=" + callee.replace("+", "%2B")).array().isEmpty()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no CDR for a call to " + callee);
    }

    static void type(WebDriver driver, String id, String value) {
        WebElement input;
        try {
            input = driver.findElement(By.id(id));
        } catch (org.openqa.selenium.NoSuchElementException e) {
            String page = driver.getPageSource();
            throw new AssertionError("no #" + id + " on " + driver.getCurrentUrl() + ": "
                    + page.substring(0, Math.min(page.length(), 3_000)), e);
        }
        input.clear();
        input.sendKeys(value);
    }

    /** Clicks a button that posts the page and waits for the next page. */
    static void submit(WebDriver driver, String id) {
        WebElement page = driver.findElement(By.tagName("html"));
        driver.findElement(By.id(id)).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.stalenessOf(page));
        new WebDriverWait(driver, WAIT).until(d -> "complete".equals(((ChromeDriver) d).executeScript("return document.readyState")));
    }

    static String text(WebDriver driver, String id) {
        List<WebElement> found = driver.findElements(By.id(id));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    /** The message h:message shows next to the input {@code inputId} (the span after it in the same field). */
    static String fieldMessage(WebDriver driver, String inputId) {
        WebElement input = driver.findElement(By.id(inputId));
        List<WebElement> messages = input.findElements(By.xpath("ancestor::*[contains(@class,'field') or self::td][1]//span[contains(@class,'error')]"));
        return messages.stream().map(WebElement::getText).reduce("", (a, b) -> a + b);
    }

    /** The whole page, not just the window: the forms sit below lists that may be long. */
    static void screenshot(WebDriver driver, String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Dimension window = driver.manage().window().getSize();
        // the window includes the browser's frame: grow it by what the page has below the viewport
        long below = ((Number) ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollHeight - window.innerHeight")).longValue();
        driver.manage().window().setSize(new Dimension(window.getWidth(), window.getHeight() + (int) Math.max(0, below)));
        try {
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } finally {
            driver.manage().window().setSize(window);
        }
    }
}
