package org.opentrunk.testing;

import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.json.Json;
import javax.json.JsonArray;
import javax.json.JsonObject;
import javax.json.JsonStructure;

/** The REST API as an operator's script uses it: HTTP basic auth as admin, JSON in and out. */
public final class ApiClient {

    /** OT_ADMIN_PASSWORD of the arq test server (src/test/liberty/arq/server.xml). */
    public static final String ADMIN_PASSWORD = "it-admin-secret";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Optional<String> authorization;

    private ApiClient(String base, Optional<String> authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    public static ApiClient asAdmin() {
        return as("admin", ADMIN_PASSWORD);
    }

    /** The API of another server (e.g. one a test starts itself) on {@code port}. */
    public static ApiClient asAdmin(int port, String password) {
        return asAdmin("127.0.0.1", port, password);
    }

    /** The API of a server listening on {@code host}:{@code port}. */
    public static ApiClient asAdmin(String host, int port, String password) {
        String token = Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        return new ApiClient("http://" + host + ":" + port, Optional.of("Basic " + token));
    }

    public static ApiClient as(String user, String password) {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new ApiClient(baseUrl(), Optional.of("Basic " + token));
    }

    public static ApiClient anonymous() {
        return new ApiClient(baseUrl(), Optional.empty());
    }

    private static String baseUrl() {
        return "http://127.0.0.1:" + Integer.getInteger("arq.httpPort", 19080);
    }

    /** A response: status, headers and body text (parsed on demand). */
    public record Reply(int status, HttpResponse<String> raw) {
        public String body() {
            return raw.body();
        }

        public JsonObject json() {
            return (JsonObject) parse();
        }

        public JsonArray array() {
            return (JsonArray) parse();
        }

        private JsonStructure parse() {
            try (var reader = Json.createReader(new StringReader(raw.body()))) {
                return reader.read();
            }
        }

        public Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }

    /** Waits until the server's API answers (a server a test just started). */
    public ApiClient awaitUp(Duration limit) {
        await("the API comes up").atMost(limit).pollInSameThread()
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(java.io.IOException.class) // not listening yet
                .until(() -> get("/api/v1/carriers").status() == 200);
        return this;
    }

    /** How long a call's CDR may take to reach the API (the journal writes it asynchronously). */
    public static final Duration CDR_WAIT = Duration.ofSeconds(10);

    /**
     * The CDR of the call one of whose legs had {@code callId} (customer's or carrier's), once the
     * journal has written it; fails after {@link #CDR_WAIT}.
     */
    public JsonObject awaitCdr(String callId) {
        JsonObject[] found = {null};
        await("the CDR of " + callId).atMost(CDR_WAIT).pollInSameThread()
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    for (javax.json.JsonValue v : get("/api/v1/cdrs?limit=200").array()) {
                        JsonObject cdr = v.asJsonObject();
                        if (callId.equals(cdr.getString("customerCallId", null))
                                || callId.equals(cdr.getString("carrierCallId", null))) {
                            found[0] = cdr;
                            return true;
                        }
                    }
                    return false;
                });
        return found[0];
    }

    public Reply get(String path) throws Exception {
        return send(builder(path).GET());
    }

    public Reply get(String path, String accept) throws Exception {
        return send(builder(path).header("Accept", accept).GET());
    }

    public Reply post(String path, String json) throws Exception {
        return send(builder(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply put(String path, String json) throws Exception {
        return send(builder(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply delete(String path) throws Exception {
        return send(builder(path).DELETE());
    }

    private HttpRequest.Builder builder(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        authorization.ifPresent(a -> b.header("Authorization", a));
        return b;
    }

    private Reply send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response);
    }
}
