package org.opentrunk.core.stir;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

/**
 * Fetches the certificates an inbound PASSporT's {@code x5u} names, over HTTPS within a bound, and
 * keeps them as long as the repository's {@code Cache-Control: max-age} allows (RFC 8224 section
 * 6.2.2 and ATIS-1000074 5.3.1 ask verifiers to cache), within {@link #MIN_TTL} and {@link #MAX_TTL}.
 * Concurrent calls for one URL share one fetch. A failed fetch is remembered for
 * {@link #FAILURE_TTL}, so a caller cannot make OpenTrunk fetch a dead URL on every INVITE.
 *
 * <p>Thread-safe; one instance serves the application. Futures never complete exceptionally.
 */
public final class CertificateRepository {

    /** A whole fetch (connect, TLS, response) takes at most this long. */
    public static final Duration FETCH_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** A certificate chain is a few KiB; a larger answer is refused unread. */
    public static final int MAX_BYTES = 64 * 1024;
    /** Without max-age the certificate is kept an hour. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    public static final Duration MIN_TTL = Duration.ofMinutes(1);
    public static final Duration MAX_TTL = Duration.ofHours(24);
    public static final Duration FAILURE_TTL = Duration.ofSeconds(30);
    /** Certificates in one x5u answer: the signer's and a few intermediates; more is a hostile repository. */
    public static final int MAX_CHAIN = 4;
    /**
     * Fetches under way at once. The x5u comes from whoever signed a call, so it is the caller's to
     * choose: this bounds what a stream of fresh URLs can hold open. Over it a call is not verified
     * (No-TN-Validation), and the URL is tried again after {@link #BUSY_TTL}.
     */
    public static final int MAX_CONCURRENT_FETCHES = 16;
    public static final Duration BUSY_TTL = Duration.ofSeconds(1);
    /** Threads of the HTTP client: the JDK's default pool grows without bound. */
    public static final int CLIENT_THREADS = 4;
    /** Distinct certificate URLs kept: every signing provider has a handful. */
    public static final int MAX_ENTRIES = 10_000;
    private static final Pattern MAX_AGE = Pattern.compile("(?:^|[,\\s])max-age\\s*=\\s*\"?(\\d{1,10})");

    /** A fetch's result. */
    public sealed interface Fetched permits Certificates, Unavailable {
        Duration ttl();
    }

    /** The certificates in the order served, the signer's first. */
    public record Certificates(List<X509Certificate> chain, Duration ttl) implements Fetched {
        public Certificates {
            chain = List.copyOf(chain);
        }
    }

    /** Why there are none. */
    public record Unavailable(String reason, Duration ttl) implements Fetched {
    }

    private final HttpClient http;
    private final AsyncCache<URI, Fetched> cache;
    private final java.util.concurrent.Semaphore fetches = new java.util.concurrent.Semaphore(MAX_CONCURRENT_FETCHES);

    public CertificateRepository(HttpClient http) {
        this.http = http;
        this.cache = Caffeine.newBuilder()
                .maximumSize(MAX_ENTRIES)
                .expireAfter(new Expiry<URI, Fetched>() {
                    @Override
                    public long expireAfterCreate(URI key, Fetched value, long now) {
                        return value.ttl().toNanos();
                    }

                    @Override
                    public long expireAfterUpdate(URI key, Fetched value, long now, long current) {
                        return value.ttl().toNanos();
                    }

                    @Override
                    public long expireAfterRead(URI key, Fetched value, long now, long current) {
                        return current;
                    }
                })
                .buildAsync();
    }

    /** A client for certificate repositories: HTTPS with the JVM's trust store, no redirects. */
    public static HttpClient defaultClient() {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return HttpClient.newBuilder()
                .executor(java.util.concurrent.Executors.newFixedThreadPool(CLIENT_THREADS, r -> {
                    Thread t = new Thread(r, "opentrunk-x5u-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }))
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER) // ATIS-1000074: x5u names the certificate itself
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The certificates at {@code url}, from the cache or fetched now. */
    public CompletableFuture<Fetched> get(URI url) {
        return cache.get(url, (key, executor) -> fetch(key));
    }

    private CompletableFuture<Fetched> fetch(URI url) {
        if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            // ATIS-1000074 5.3.1: the certificate repository is HTTPS only
            return CompletableFuture.completedFuture(new Unavailable("x5u is not an https URL", FAILURE_TTL));
        }
        if (!fetches.tryAcquire()) {
            return CompletableFuture.completedFuture(new Unavailable("too many certificate fetches under way", BUSY_TTL));
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(FETCH_TIMEOUT).GET().build();
        CompletableFuture<HttpResponse<byte[]>> exchange;
        try {
            exchange = http.sendAsync(request, info -> new LimitedBody(MAX_BYTES));
        } catch (RuntimeException e) {
            fetches.release();
            return CompletableFuture.completedFuture(new Unavailable("fetching " + url + " failed: " + e, FAILURE_TTL));
        }
        // The whole exchange, body included, is bounded: the request timeout covers only the
        // headers, so a body trickling in is cut off here by cancelling the exchange (JDK 16+).
        return exchange
                .thenApply(CertificateRepository::read)
                .exceptionally(e -> new Unavailable("fetching " + url + " failed: " + rootMessage(e), FAILURE_TTL))
                .completeOnTimeout(new Unavailable("fetching " + url + " took over " + FETCH_TIMEOUT.toSeconds() + " s",
                        FAILURE_TTL), FETCH_TIMEOUT.toMillis() + 500, java.util.concurrent.TimeUnit.MILLISECONDS)
                .whenComplete((fetched, e) -> {
                    exchange.cancel(true);
                    fetches.release();
                });
    }

    /** A response body read up to {@code limit} bytes; one byte more says it was larger, and the rest is not read. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private java.util.concurrent.Flow.Subscription subscription;

        LimitedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public java.util.concurrent.CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<java.nio.ByteBuffer> items) {
            for (java.nio.ByteBuffer item : items) {
                byte[] chunk = new byte[Math.min(item.remaining(), limit + 1 - bytes.size())];
                item.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
            if (bytes.size() > limit) {
                subscription.cancel();
                body.complete(bytes.toByteArray());
            }
        }

        @Override
        public void onError(Throwable e) {
            body.completeExceptionally(e);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }

    private static Fetched read(HttpResponse<byte[]> response) {
        try {
            if (response.statusCode() != 200) {
                return new Unavailable("the certificate repository answered " + response.statusCode(), FAILURE_TTL);
            }
            byte[] bytes = response.body();
            if (bytes.length > MAX_BYTES) {
                return new Unavailable("the certificate is over " + MAX_BYTES + " bytes", FAILURE_TTL);
            }
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
                chain.add((X509Certificate) c);
            }
            if (chain.isEmpty()) {
                return new Unavailable("no certificate at the x5u URL", FAILURE_TTL);
            }
            if (chain.size() > MAX_CHAIN) {
                return new Unavailable("the x5u answer holds " + chain.size() + " certificates, over " + MAX_CHAIN, FAILURE_TTL);
            }
            return new Certificates(chain, ttl(response.headers().firstValue("Cache-Control")));
        } catch (GeneralSecurityException | ClassCastException e) {
            return new Unavailable("unreadable certificate: " + e.getMessage(), FAILURE_TTL);
        }
    }

    /** How long an answer may be kept: its max-age within the bounds, else {@link #DEFAULT_TTL}. */
    static Duration ttl(Optional<String> cacheControl) {
        if (cacheControl.isEmpty()) {
            return DEFAULT_TTL;
        }
        String value = cacheControl.get().toLowerCase(Locale.ROOT);
        if (value.contains("no-store") || value.contains("no-cache")) {
            return MIN_TTL; // kept a minute all the same: a fetch per INVITE would be ours to pay
        }
        Matcher m = MAX_AGE.matcher(value);
        if (!m.find()) {
            return DEFAULT_TTL;
        }
        Duration asked = Duration.ofSeconds(Long.parseLong(m.group(1)));
        return asked.compareTo(MIN_TTL) < 0 ? MIN_TTL : asked.compareTo(MAX_TTL) > 0 ? MAX_TTL : asked;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
