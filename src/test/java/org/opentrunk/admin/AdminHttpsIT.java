package org.opentrunk.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.TrunkUnderTest;

/**
 * Issue 21: the web admin over HTTPS (OT_HTTPS_PORT) with the certificate OpenTrunk generated on
 * the test server's first start (self-signed): headless Chromium logs in over HTTPS and gets a
 * {@code Secure}, {@code SameSite=Strict} session cookie; HTTPS answers carry HSTS, plain HTTP ones
 * do not, and a login over plain HTTP still works (its cookie is not Secure, or the browser would
 * drop it).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdminHttpsIT {

    static final String HTTPS = "https://127.0.0.1:" + Integer.getInteger("arq.httpsPort", 19443);
    static final String HTTP = "http://127.0.0.1:" + Integer.getInteger("arq.httpPort", 19080);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TrunkUnderTest.deployment();
    }

    @Test
    void chromiumLogsInOverHttpsWithASecureCookie() throws Exception {
        Path profile = Files.createTempDirectory("chromium-https-it");
        ChromeOptions options = new ChromeOptions();
        options.setAcceptInsecureCerts(true); // the generated self-signed certificate
        WebDriver driver = AdminPagesIT.browser(profile, options);
        try {
            driver.get(HTTPS + "/admin/");
            assertTrue(driver.getCurrentUrl().startsWith(HTTPS + "/login.xhtml"), driver.getCurrentUrl());
            AdminPagesIT.type(driver, "login:username", "admin");
            AdminPagesIT.type(driver, "login:password", ApiClient.ADMIN_PASSWORD);
            AdminPagesIT.submit(driver, "login:submit");
            assertTrue(driver.getCurrentUrl().startsWith(HTTPS + "/admin/index.xhtml"), driver.getCurrentUrl());
            assertTrue(AdminPagesIT.text(driver, "dashboard").contains("Calls now"));
            Cookie session = driver.manage().getCookieNamed("JSESSIONID");
            assertTrue(session != null && session.isSecure(), () -> "Secure session cookie: " + session);
            assertEquals("Strict", session.getSameSite());
            AdminPagesIT.screenshot(driver, "https-dashboard");
        } finally {
            driver.quit();
        }
    }

    @Test
    void httpsAnswersCarryHstsAndPlainHttpLoginCookiesAreNotSecure() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(trustingAnyCertificate()).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> page = https.send(HttpRequest.newBuilder(URI.create(HTTPS + "/login.xhtml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertEquals("max-age=31536000", page.headers().firstValue("Strict-Transport-Security").orElse(""));

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> plainPage = http.send(HttpRequest.newBuilder(URI.create(HTTP + "/login.xhtml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertFalse(plainPage.headers().firstValue("Strict-Transport-Security").isPresent(), "no HSTS over plain HTTP");
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(HTTP + "/login.xhtml"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", HTTP)
                .POST(HttpRequest.BodyPublishers.ofString("login%3Ausername=admin&login%3Apassword=" + ApiClient.ADMIN_PASSWORD))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, login.statusCode(), login::body);
        String cookie = login.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(cookie.startsWith("JSESSIONID=") && !cookie.toLowerCase().contains("secure"), cookie);
    }

    /** The test server's certificate is the self-signed one OpenTrunk generated: nothing to check it against here. */
    private static SSLContext trustingAnyCertificate() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }
}
