package org.opentrunk.core.cnam;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.opentrunk.core.text.UntrustedText;

/**
 * The caller's name for an inbound call to a number with CNAM lookup (IC-CNAM-IN). OpenTrunk's
 * own CNAM storage is asked first; when it has no name and a provider is configured
 * ({@link CnamUrlTemplate}), the provider is asked over HTTP: {@code 200} with the name as plain
 * text, {@code 404} or an empty body for no name, anything else (or no answer in time) counts as
 * no name and is logged ({@link ProviderFailureLog}).
 *
 * <p>A call never waits long for its caller's name: every lookup completes, normally and at the
 * latest after the wait the caller gives ({@link #MAX_WAIT} by default), with the name or empty.
 * Provider answers are cached, and callers ringing at the same time with the same number share one
 * HTTP request ({@link CnamCache}, on Caffeine). Every name, stored or provided, passes through
 * {@link CnamDisplayName}, so it can go into a quoted display name as it is.
 *
 * <p>Thread-safe; one instance serves the whole application (it owns an {@link HttpClient}).
 */
public final class CnamLookup {

    /** Time to open the TCP (and TLS) connection to the provider. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofMillis(800);

    /** Time from sending the request to the response headers. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofMillis(800);

    /**
     * The whole exchange, connection and body included: a provider that connects slowly and then
     * answers slowly, or drips its body, is still cut off here, and its answer counts as a failure.
     */
    public static final Duration PROVIDER_DEADLINE = Duration.ofMillis(900);

    /** How long a call waits for its caller's name by default: the caller hears ringing a second later at most. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(1);

    /** A name is at most a few dozen bytes; a body is never read beyond this. */
    public static final int MAX_BODY_BYTES = 1024;

    private static final Logger LOG = Logger.getLogger(CnamLookup.class.getName());

    /** {@code +} and 1 to 15 digits, not starting with 0: anything else is not worth asking about. */
    private static final Pattern E164_SHAPE = Pattern.compile("\\+[1-9][0-9]{0,14}");

    private static final int HTTP_OK = 200;
    private static final int HTTP_NO_CONTENT = 204;
    private static final int HTTP_NOT_FOUND = 404;

    private final Function<String, Optional<String>> storedNames;
    private final CnamUrlTemplate provider;
    private final HttpClient http;
    private final CnamCache cache = new CnamCache();
    private final ProviderFailureLog failures;

    /**
     * @param storedNames the name in OpenTrunk's CNAM storage for an E.164 number ({@code +} form)
     * @param provider    the external provider, or empty to use the storage alone
     */
    public CnamLookup(Function<String, Optional<String>> storedNames, Optional<CnamUrlTemplate> provider) {
        this.storedNames = Objects.requireNonNull(storedNames, "storedNames");
        this.provider = provider.orElse(null);
        this.http = this.provider == null ? null : HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER) // a provider answers, it does not send us elsewhere
                .version(HttpClient.Version.HTTP_1_1)       // no h2c upgrade dance with plain-http providers
                .build();
        this.failures = this.provider == null ? null : new ProviderFailureLog(this.provider.origin());
    }

    /**
     * From the value of {@value CnamUrlTemplate#SETTING}: null or blank means storage only.
     *
     * @throws InvalidCnamUrlException when the value is set but not a usable template
     */
    public static CnamLookup fromSetting(Function<String, Optional<String>> storedNames, String providerUrlTemplate) {
        boolean unset = providerUrlTemplate == null || providerUrlTemplate.isBlank();
        return new CnamLookup(storedNames, unset ? Optional.empty() : Optional.of(CnamUrlTemplate.of(providerUrlTemplate)));
    }

    /** True when an external provider is configured. */
    public boolean hasProvider() {
        return provider != null;
    }

    /** {@link #lookup(String, Duration)} with {@link #MAX_WAIT}. */
    public CompletableFuture<Optional<String>> lookup(String e164Caller) {
        return lookup(e164Caller, MAX_WAIT);
    }

    /**
     * The caller's display name, or empty. The future always completes normally, at the latest
     * after {@code maxWait}; a provider answer that arrives later is still cached for the next call.
     *
     * @param e164Caller the caller's number, {@code +} form; anything else gets empty at once
     */
    public CompletableFuture<Optional<String>> lookup(String e164Caller, Duration maxWait) {
        Objects.requireNonNull(maxWait, "maxWait");
        if (e164Caller == null || !E164_SHAPE.matcher(e164Caller).matches()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Optional<String> stored = storedName(e164Caller);
        if (stored.isPresent() || provider == null) {
            return CompletableFuture.completedFuture(stored);
        }
        // The cached answer, or the request in flight for this number, or a new one. A dependent
        // future: when this waiter gives up, the shared request carries on for the others.
        return cache.answer(e164Caller, this::askProvider)
                .thenApply(ProviderAnswer::name)
                .exceptionally(error -> Optional.empty())
                .completeOnTimeout(Optional.empty(), maxWait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * {@link #lookup(String, Duration)}, waiting for it on the calling thread: for a container
     * thread that may block a bounded time. An interrupt ends the wait (empty), flag kept.
     */
    public Optional<String> lookupAndWait(String e164Caller, Duration maxWait) {
        try {
            return lookup(e164Caller, maxWait).get(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        }
    }

    private Optional<String> storedName(String e164) {
        try {
            return storedNames.apply(e164).flatMap(CnamDisplayName::sanitize);
        } catch (RuntimeException e) {
            // The storage is OpenTrunk's own; if it fails, the provider may still know the name.
            LOG.log(Level.FINE, "CNAM storage lookup failed for " + e164, e);
            return Optional.empty();
        }
    }

    /** One provider request for {@code e164}, its failure logged. Never completes exceptionally. */
    private CompletableFuture<ProviderAnswer> askProvider(String e164) {
        return exchange(e164).whenComplete((answer, error) -> {
            if (answer instanceof ProviderAnswer.Failure failure) {
                failures.failed(failure.reason(), System.nanoTime());
            }
        });
    }

    /** One HTTP exchange, ended after {@link #PROVIDER_DEADLINE} at the latest. */
    private CompletableFuture<ProviderAnswer> exchange(String e164) {
        CompletableFuture<HttpResponse<String>> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(provider.expand(e164))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Accept", "text/plain")
                    .GET()
                    .build();
            // Only a 200 body is read; any other status is answered without reading its body.
            response = http.sendAsync(request, info -> new CappedBody(info.statusCode() == HTTP_OK ? MAX_BODY_BYTES : 0));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new ProviderAnswer.Failure(describe(e)));
        }
        CompletableFuture<ProviderAnswer> answer = response
                .handle((r, error) -> error != null ? new ProviderAnswer.Failure(describe(error)) : toAnswer(r))
                .completeOnTimeout(new ProviderAnswer.Failure("no answer within " + PROVIDER_DEADLINE.toMillis() + " ms"),
                        PROVIDER_DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
        answer.whenComplete((a, e) -> response.cancel(true)); // aborts the exchange if it is still running
        return answer;
    }

    private static ProviderAnswer toAnswer(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status == HTTP_OK) {
            return CnamDisplayName.sanitize(response.body())
                    .<ProviderAnswer>map(ProviderAnswer.Name::new)
                    .orElseGet(ProviderAnswer.NoName::new);
        }
        if (status == HTTP_NOT_FOUND || status == HTTP_NO_CONTENT) {
            return new ProviderAnswer.NoName();
        }
        return new ProviderAnswer.Failure("HTTP status " + status);
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof HttpTimeoutException) {
            return "no answer within " + REQUEST_TIMEOUT.toMillis() + " ms (" + cause.getClass().getSimpleName() + ")";
        }
        return cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " " + UntrustedText.quote(cause.getMessage(), 80));
    }
}
