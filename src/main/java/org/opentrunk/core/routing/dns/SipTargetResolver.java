package org.opentrunk.core.routing.dns;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.opentrunk.core.config.Transport;
import org.opentrunk.core.routing.dns.DnsResolutionException.Failure;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.NAPTRRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

/**
 * Turns the domain of an {@code srv} or {@code naptr} route (IC-ROUTE) into the ordered list of
 * IPv4 addresses, ports and transports to try: RFC 3263 section 4.1 (NAPTR, then SRV, then A) with
 * the SRV ordering of RFC 2782, so that SRV priorities give failover and weights share the load.
 * UDP and TCP only, A records only (IC-IPV4).
 *
 * <p>Records are cached as long as their TTL says (at most {@link #MAX_CACHE_SECONDS}), answers
 * that a name or record does not exist at most {@link #NEGATIVE_CACHE_SECONDS}. The weighted order
 * is drawn anew on every call, cached records or not.
 *
 * <p>The cache is dnsjava's own {@link Cache}, not Caffeine: it already keeps each RRset for its
 * TTL, caches NXDOMAIN/NODATA answers by the zone's SOA (RFC 2308), serves the CNAMEs that
 * {@link LookupSession} follows, and drops the least recently used beyond {@link #CACHE_MAX_NAMES}
 * names. A Caffeine cache with a per-entry {@code Expiry} in front of it would re-implement those
 * rules, or cache twice.
 *
 * <p>Errors: a name without the records asked for is no error, it yields no targets. When the DNS
 * server does not answer, resolution stops at once with {@link Failure#NO_ANSWER}: the next query
 * would wait for the same server. When the server answers one name with an error, the other names
 * are still tried, and {@link Failure#SERVER_FAILURE} is thrown only if no target was found.
 *
 * <p>Safe for use by many threads at once; meant to be shared.
 */
public final class SipTargetResolver {

    /** How long one DNS query may wait for its answer: well under the 4 s failover timer. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(1);
    /** Most targets one resolution returns: more would not be tried within a call's setup time. */
    public static final int MAX_TARGETS = 16;
    /** Most names whose records the cache holds; the least recently used go first. */
    public static final int CACHE_MAX_NAMES = 2000;
    /** Longest a record stays cached, whatever its TTL: a changed zone is seen within the hour. */
    public static final int MAX_CACHE_SECONDS = 3600;
    /** Longest "no such name / no such record" stays cached: a zone being set up is seen soon. */
    public static final int NEGATIVE_CACHE_SECONDS = 30;
    /** Port of a target found by A records alone (RFC 3263 section 4.2). */
    public static final int DEFAULT_SIP_PORT = 5060;
    /** Port of the DNS server when its address names none. */
    public static final int DEFAULT_DNS_PORT = 53;

    /**
     * Extra time a lookup is awaited beyond its query timeout: dnsjava notices a timed-out query
     * only when its I/O thread has been idle up to a second, so the bound is enforced here too.
     */
    private static final Duration TIMEOUT_SLACK = Duration.ofSeconds(1);

    private final LookupSession session;
    private final Duration answerBound;
    private final RandomGenerator random;

    /**
     * A resolver with {@link #DEFAULT_QUERY_TIMEOUT}; see
     * {@link #SipTargetResolver(String, Duration, RandomGenerator)}.
     */
    public SipTargetResolver(String dnsServer) {
        this(dnsServer, DEFAULT_QUERY_TIMEOUT);
    }

    /**
     * A resolver whose weighted order is random; see
     * {@link #SipTargetResolver(String, Duration, RandomGenerator)}.
     */
    public SipTargetResolver(String dnsServer, Duration queryTimeout) {
        this(dnsServer, queryTimeout, new Random());
    }

    /**
     * @param dnsServer    {@code host[:port]} of the DNS server to ask (an IPv4 address or a name
     *                     the system resolves now); null or blank for the servers the system is
     *                     configured with ({@code /etc/resolv.conf})
     * @param queryTimeout how long one query waits for its answer, per server
     * @param random       draws the SRV weighted order; must be safe for several threads (as
     *                     {@link Random} is) when the resolver is shared
     * @throws IllegalArgumentException when {@code dnsServer} cannot be used, or the timeout is not
     *                                  positive
     */
    public SipTargetResolver(String dnsServer, Duration queryTimeout, RandomGenerator random) {
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        this.random = Objects.requireNonNull(random, "random");
        if (queryTimeout.isNegative() || queryTimeout.isZero()) {
            throw new IllegalArgumentException("query timeout must be positive, not " + queryTimeout);
        }
        Resolver resolver;
        Duration waitPerLookup;
        if (dnsServer == null || dnsServer.isBlank()) {
            List<InetSocketAddress> servers = ResolverConfig.getCurrentConfig().servers();
            List<Resolver> each = new ArrayList<>();
            for (InetSocketAddress server : servers) {
                SimpleResolver one = new SimpleResolver(server);
                one.setTimeout(queryTimeout);
                each.add(one);
            }
            // each server once, in turn: the next one is asked when one does not answer
            ExtendedResolver all = new ExtendedResolver(each);
            all.setRetries(1);
            waitPerLookup = queryTimeout.multipliedBy(Math.max(1, servers.size()));
            all.setTimeout(waitPerLookup);
            resolver = all;
        } else {
            SimpleResolver one = new SimpleResolver(serverAddress(dnsServer.trim()));
            one.setTimeout(queryTimeout);
            waitPerLookup = queryTimeout;
            resolver = one;
        }
        this.answerBound = waitPerLookup.plus(TIMEOUT_SLACK);
        Cache cache = new Cache(DClass.IN);
        cache.setMaxEntries(CACHE_MAX_NAMES);
        cache.setMaxCache(MAX_CACHE_SECONDS);
        cache.setMaxNCache(NEGATIVE_CACHE_SECONDS);
        // Continuations run on dnsjava's I/O thread: they only parse and cache a message, and no
        // thread pool of the container is borrowed for that.
        this.session = LookupSession.builder()
                .resolver(resolver)
                .cache(cache)
                .executor(Runnable::run)
                .build();
    }

    /**
     * The targets of a domain's {@code _sip._udp} SRV records, then those of its {@code _sip._tcp}
     * records, each in RFC 2782 order; every A record of an SRV target is a target, in turn. At
     * most {@link #MAX_TARGETS}; empty when the domain has no such records.
     *
     * @param domain e.g. {@code example.test}; a trailing dot is allowed
     */
    public List<ResolvedTarget> resolveSrv(String domain) throws DnsResolutionException {
        String name = domainName(domain);
        return followSrv(List.of(SrvQuery.forDomain(name, Transport.UDP), SrvQuery.forDomain(name, Transport.TCP)));
    }

    /**
     * RFC 3263 section 4.1: the domain's NAPTR records for {@code SIP+D2U} and {@code SIP+D2T},
     * by order and preference, lead to SRV records, those to A records. When the domain has no
     * usable NAPTR record, as {@link #resolveSrv}; when it has no SRV records either, its own A
     * records on port {@value #DEFAULT_SIP_PORT} over UDP. At most {@link #MAX_TARGETS}; empty
     * when the domain has none of these records.
     *
     * @param domain e.g. {@code example.test}; a trailing dot is allowed
     */
    public List<ResolvedTarget> resolveNaptr(String domain) throws DnsResolutionException {
        String name = domainName(domain);
        List<NaptrEntry> naptr = new ArrayList<>();
        for (Record r : lookup(name, Type.NAPTR)) {
            if (r instanceof NAPTRRecord n) {
                naptr.add(new NaptrEntry(n.getOrder(), n.getPreference(), n.getFlags(), n.getService(),
                        n.getRegexp(), text(n.getReplacement())));
            }
        }
        List<SrvQuery> viaNaptr = NaptrSelection.select(name, naptr);
        if (!viaNaptr.isEmpty()) {
            return followSrv(viaNaptr);
        }
        List<ResolvedTarget> viaSrv = resolveSrv(name);
        if (!viaSrv.isEmpty()) {
            return viaSrv;
        }
        List<ResolvedTarget> targets = new ArrayList<>();
        for (String address : addresses(name)) {
            addUnlessKnown(targets, new ResolvedTarget(address, DEFAULT_SIP_PORT, Transport.UDP,
                    "a " + name + ":" + DEFAULT_SIP_PORT));
            if (targets.size() == MAX_TARGETS) {
                break;
            }
        }
        return targets;
    }

    /**
     * {@link #resolveSrv} on {@code executor}; a failure completes the future with a
     * {@link CompletionException} whose cause is the {@link DnsResolutionException}.
     */
    public CompletableFuture<List<ResolvedTarget>> resolveSrvAsync(String domain, Executor executor) {
        return runOn(executor, () -> resolveSrv(domain));
    }

    /**
     * {@link #resolveNaptr} on {@code executor}; a failure completes the future with a
     * {@link CompletionException} whose cause is the {@link DnsResolutionException}.
     */
    public CompletableFuture<List<ResolvedTarget>> resolveNaptrAsync(String domain, Executor executor) {
        return runOn(executor, () -> resolveNaptr(domain));
    }

    /** One resolution, as the public methods run it. */
    @FunctionalInterface
    private interface Resolution {
        List<ResolvedTarget> run() throws DnsResolutionException;
    }

    private static CompletableFuture<List<ResolvedTarget>> runOn(Executor executor, Resolution resolution) {
        Objects.requireNonNull(executor, "executor");
        return CompletableFuture.supplyAsync(() -> {
            try {
                return resolution.run();
            } catch (DnsResolutionException e) {
                throw new CompletionException(e);
            }
        }, executor);
    }

    /** SRV, then A, for each query in turn, until {@link #MAX_TARGETS}. */
    private List<ResolvedTarget> followSrv(List<SrvQuery> queries) throws DnsResolutionException {
        List<ResolvedTarget> targets = new ArrayList<>();
        DnsResolutionException firstFailure = null;
        for (SrvQuery query : queries) {
            List<SrvEntry> records;
            try {
                records = srvRecords(query.name());
            } catch (DnsResolutionException e) {
                firstFailure = keepGoingUnlessNoAnswer(firstFailure, e);
                continue;
            }
            for (SrvEntry record : SrvOrdering.order(records, random)) {
                List<String> addresses;
                try {
                    addresses = addresses(record.target());
                } catch (DnsResolutionException e) {
                    firstFailure = keepGoingUnlessNoAnswer(firstFailure, e);
                    continue;
                }
                String origin = (query.origin().isEmpty() ? "" : query.origin() + " -> ")
                        + "srv " + query.name() + " -> " + record.target() + ":" + record.port();
                for (String address : addresses) {
                    addUnlessKnown(targets, new ResolvedTarget(address, record.port(), query.transport(), origin));
                    if (targets.size() == MAX_TARGETS) {
                        return targets;
                    }
                }
            }
        }
        if (targets.isEmpty() && firstFailure != null) {
            throw firstFailure;
        }
        return targets;
    }

    private static DnsResolutionException keepGoingUnlessNoAnswer(DnsResolutionException firstFailure,
            DnsResolutionException e) throws DnsResolutionException {
        if (e.failure() == Failure.NO_ANSWER) {
            throw e;
        }
        return firstFailure == null ? e : firstFailure;
    }

    private static void addUnlessKnown(List<ResolvedTarget> targets, ResolvedTarget target) {
        // Two SRV records may lead to one address; trying it twice would only lose time.
        for (ResolvedTarget known : targets) {
            if (known.address().equals(target.address()) && known.port() == target.port()
                    && known.transport() == target.transport()) {
                return;
            }
        }
        targets.add(target);
    }

    private List<SrvEntry> srvRecords(String name) throws DnsResolutionException {
        List<SrvEntry> records = new ArrayList<>();
        for (Record r : lookup(name, Type.SRV)) {
            if (r instanceof SRVRecord s) {
                records.add(new SrvEntry(s.getPriority(), s.getWeight(), s.getPort(), text(s.getTarget())));
            }
        }
        return records;
    }

    /** The IPv4 addresses of a host, in the order the answer lists them. */
    private List<String> addresses(String host) throws DnsResolutionException {
        List<String> addresses = new ArrayList<>();
        for (Record r : lookup(host, Type.A)) {
            if (r instanceof ARecord a && a.getAddress() instanceof Inet4Address v4) {
                addresses.add(v4.getHostAddress());
            }
        }
        return addresses;
    }

    /** The records of one name and type, from the cache or the server; empty when there are none. */
    private List<Record> lookup(String name, int type) throws DnsResolutionException {
        Name dnsName = absoluteName(name);
        CompletableFuture<List<Record>> answer = session.lookupAsync(dnsName, type)
                .toCompletableFuture()
                .thenApply(result -> result.getRecords());
        String question = name + " " + Type.string(type);
        try {
            return answer.get(answerBound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new DnsResolutionException(Failure.NO_ANSWER, question, "no answer within " + answerBound, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            throw new DnsResolutionException(Failure.NO_ANSWER, question, "interrupted while waiting", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof NoSuchDomainException || cause instanceof NoSuchRRSetException) {
                return List.of();
            }
            // IOException: timed out, or nothing listens there; the rest are answers with errors
            Failure failure = cause instanceof IOException || cause instanceof TimeoutException
                    ? Failure.NO_ANSWER : Failure.SERVER_FAILURE;
            throw new DnsResolutionException(failure, question, String.valueOf(cause), cause);
        }
    }

    /** A route's domain as the queries and origins spell it: trimmed, no trailing dot, valid. */
    private static String domainName(String domain) throws DnsResolutionException {
        String name = domain == null ? "" : domain.trim();
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty()) {
            throw new DnsResolutionException(Failure.INVALID_NAME, String.valueOf(domain), "no domain", null);
        }
        absoluteName(name);
        return name;
    }

    private static Name absoluteName(String name) throws DnsResolutionException {
        try {
            return Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new DnsResolutionException(Failure.INVALID_NAME, name, String.valueOf(e.getMessage()), e);
        }
    }

    /** A name as origins and SRV targets spell it: no trailing dot; the root is {@code "."}. */
    private static String text(Name name) {
        return name.toString(true);
    }

    private static InetSocketAddress serverAddress(String hostAndPort) {
        int colon = hostAndPort.indexOf(':');
        if (colon != hostAndPort.lastIndexOf(':')) {
            throw new IllegalArgumentException("DNS server must be host[:port] over IPv4, not " + hostAndPort);
        }
        String host = colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("DNS server must be host[:port], not " + hostAndPort);
        }
        int port = DEFAULT_DNS_PORT;
        if (colon >= 0) {
            try {
                port = Integer.parseInt(hostAndPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("DNS server port is not a number: " + hostAndPort, e);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("DNS server port must be 1 to 65535: " + hostAndPort);
            }
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("DNS server host is unknown: " + host, e);
        }
        if (!(address instanceof Inet4Address)) {
            throw new IllegalArgumentException("DNS server must have an IPv4 address (IC-IPV4): " + host);
        }
        return new InetSocketAddress(address, port);
    }
}
