package org.opentrunk.core.cnam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("IC-CNAM-IN")
class CnamLookupTest {

    private static final String CALLER = "+12066418000";

    /** A provider's behaviour for one request. */
    private interface Answer {
        void handle(HttpExchange exchange) throws Exception;
    }

    private HttpServer server;
    private ExecutorService serverThreads;
    private final List<String> rawQueries = new CopyOnWriteArrayList<>();
    private volatile Answer answer = exchange -> respond(exchange, 200, "JOHN SMITH\n");

    @BeforeEach
    void startProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-cnam-provider");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(serverThreads);
        server.createContext("/cnam", exchange -> {
            rawQueries.add(exchange.getRequestURI().getRawQuery());
            try {
                answer.handle(exchange);
            } catch (Exception e) {
                // the client went away or the test interrupted a slow answer
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    @AfterEach
    void stopProvider() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private String template() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/cnam?number={number}&key=k";
    }

    private CnamLookup lookup(Map<String, String> stored) {
        return CnamLookup.fromSetting(e164 -> Optional.ofNullable(stored.get(e164)), template());
    }

    private CnamLookup lookup() {
        return lookup(Map.of());
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static Optional<String> await(CompletableFuture<Optional<String>> name) throws Exception {
        return name.get(5, TimeUnit.SECONDS);
    }

    @Test
    void cnamStorageIsAskedFirstAndTheProviderNotAtAll() throws Exception {
        CnamLookup cnam = lookup(Map.of(CALLER, "Acme Plumbing"));
        assertEquals(Optional.of("Acme Plumbing"), await(cnam.lookup(CALLER)));
        assertEquals(List.of(), rawQueries);
    }

    @Test
    void theProviderIsAskedWhenTheStorageHasNoName() throws Exception {
        assertEquals(Optional.of("JOHN SMITH"), await(lookup(Map.of("+15550001111", "Other")).lookup(CALLER)));
        assertEquals(1, rawQueries.size());
    }

    @Test
    void theNumberIsSentUrlEncodedWithItsPlus() throws Exception {
        await(lookup().lookup(CALLER));
        assertEquals(List.of("number=%2B12066418000&key=k"), rawQueries);
    }

    @Test
    void notFoundAndEmptyAndErrorsMeanNoName() throws Exception {
        answer = exchange -> respond(exchange, 404, "no such number");
        assertEquals(Optional.empty(), await(lookup().lookup(CALLER)));
        answer = exchange -> respond(exchange, 200, "");
        assertEquals(Optional.empty(), await(lookup().lookup(CALLER)));
        answer = exchange -> respond(exchange, 200, " \r\n");
        assertEquals(Optional.empty(), await(lookup().lookup(CALLER)));
        answer = exchange -> respond(exchange, 500, "JOHN SMITH");
        assertEquals(Optional.empty(), await(lookup().lookup(CALLER)));
        answer = exchange -> respond(exchange, 302, "JOHN SMITH");
        assertEquals(Optional.empty(), await(lookup().lookup(CALLER)), "redirects are not followed");
    }

    @Test
    void aSlowProviderCostsTheCallAtMostTheWait() throws Exception {
        answer = exchange -> {
            Thread.sleep(3_000); // not synchronisation: the fake provider is slow on purpose
            respond(exchange, 200, "TOO LATE");
        };
        CnamLookup cnam = lookup();
        long start = System.nanoTime();
        Optional<String> name = cnam.lookupAndWait(CALLER, CnamLookup.MAX_WAIT);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Optional.empty(), name);
        assertTrue(tookMs < 1_800, "took " + tookMs + " ms");

        start = System.nanoTime();
        assertEquals(Optional.empty(), await(cnam.lookup("+12066418001", Duration.ofMillis(300))));
        tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs < 1_000, "a shorter wait is honoured: took " + tookMs + " ms");
    }

    @Test
    void aProviderThatIsNotThereMeansNoName() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        CnamLookup cnam = CnamLookup.fromSetting(e164 -> Optional.empty(),
                "http://127.0.0.1:" + closedPort + "/cnam?number={number}");
        assertEquals(Optional.empty(), cnam.lookupAndWait(CALLER, CnamLookup.MAX_WAIT));
    }

    @Test
    void aRepeatedCallerIsAnsweredFromTheCache() throws Exception {
        CnamLookup cnam = lookup();
        assertEquals(Optional.of("JOHN SMITH"), await(cnam.lookup(CALLER)));
        assertEquals(Optional.of("JOHN SMITH"), await(cnam.lookup(CALLER)));
        assertEquals(Optional.of("JOHN SMITH"), cnam.lookupAndWait(CALLER, CnamLookup.MAX_WAIT));
        assertEquals(1, rawQueries.size());
    }

    @Test
    void noNameIsCachedToo() throws Exception {
        answer = exchange -> respond(exchange, 404, "");
        CnamLookup cnam = lookup();
        assertEquals(Optional.empty(), await(cnam.lookup(CALLER)));
        assertEquals(Optional.empty(), await(cnam.lookup(CALLER)));
        assertEquals(1, rawQueries.size());
    }

    @Test
    void theProvidersTextIsMadeSafeForADisplayName() throws Exception {
        answer = exchange -> respond(exchange, 200, "\"Evil\\\" <sip:x@y>;tag=1 and more\r\nVia: SIP/2.0/UDP evil");
        Optional<String> name = await(lookup().lookup(CALLER));
        assertEquals(Optional.of("Evil <sip:x@y>;"), name);
    }

    @Test
    void aHugeBodyIsCutNotReadWhole() throws Exception {
        answer = exchange -> respond(exchange, 200, "A".repeat(4 * 1024 * 1024));
        assertEquals(Optional.of("A".repeat(CnamDisplayName.MAX_LENGTH)), await(lookup().lookup(CALLER)));
    }

    @Test
    void storedNamesAreMadeSafeAsWell() throws Exception {
        CnamLookup cnam = CnamLookup.fromSetting(e164 -> Optional.of("Bad\"Name\r\n"), null);
        assertEquals(Optional.of("BadName"), await(cnam.lookup(CALLER)));
    }

    @Test
    void withoutAProviderOnlyTheStorageIsAsked() throws Exception {
        CnamLookup cnam = CnamLookup.fromSetting(e164 -> Optional.empty(), " ");
        assertFalse(cnam.hasProvider());
        assertEquals(Optional.empty(), await(cnam.lookup(CALLER)));
    }

    @Test
    void aCallerThatIsNotE164IsNotLookedUp() throws Exception {
        CnamLookup cnam = lookup();
        for (String caller : new String[] {null, "", "anonymous", "12066418000", "+0123", "+1234567890123456", "+1 206"}) {
            assertEquals(Optional.empty(), await(cnam.lookup(caller)), String.valueOf(caller));
        }
        assertEquals(List.of(), rawQueries);
    }

    @Test
    void aFailingStorageFallsBackToTheProvider() throws Exception {
        CnamLookup cnam = CnamLookup.fromSetting(e164 -> {
            throw new IllegalStateException("database closed");
        }, template());
        assertEquals(Optional.of("JOHN SMITH"), await(cnam.lookup(CALLER)));
    }

    @Test
    void simultaneousCallsFromOneNumberShareOneRequest() throws Exception {
        CountDownLatch allAsked = new CountDownLatch(1);
        answer = exchange -> {
            allAsked.await(5, TimeUnit.SECONDS);
            respond(exchange, 200, "JANE DOE");
        };
        CnamLookup cnam = lookup();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Optional<String>>> names = new CopyOnWriteArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            List<java.util.concurrent.Future<?>> submitted = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                submitted.add(callers.submit(() -> {
                    go.await();
                    names.add(cnam.lookup(CALLER, Duration.ofSeconds(4)));
                    return null;
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<?> f : submitted) {
                f.get(5, TimeUnit.SECONDS);
            }
            allAsked.countDown();
            for (CompletableFuture<Optional<String>> name : names) {
                assertEquals(Optional.of("JANE DOE"), await(name));
            }
            assertEquals(40, names.size());
            assertEquals(1, rawQueries.size(), "one HTTP request for all of them");
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void oneWaiterGivingUpDoesNotCancelTheRequestForTheOthers() throws Exception {
        answer = exchange -> {
            Thread.sleep(400); // not synchronisation: the answer comes after the impatient waiter's 50 ms
            respond(exchange, 200, "JANE DOE");
        };
        CnamLookup cnam = lookup();
        CompletableFuture<Optional<String>> impatient = cnam.lookup(CALLER, Duration.ofMillis(50));
        CompletableFuture<Optional<String>> patient = cnam.lookup(CALLER, Duration.ofSeconds(2));
        assertEquals(Optional.empty(), await(impatient));
        assertEquals(Optional.of("JANE DOE"), await(patient));
        assertEquals(Optional.of("JANE DOE"), await(cnam.lookup(CALLER)), "and the answer was cached");
        assertEquals(1, rawQueries.size());
    }
}
