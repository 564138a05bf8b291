package org.opentrunk.sip;

import org.opentrunk.core.registrar.BindingTable;
import org.opentrunk.core.routing.dns.SipTargetResolver;

import org.opentrunk.call.CallTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrunk.core.config.Customer;
import org.opentrunk.core.config.DidNumber;
import org.opentrunk.core.config.Route;
import org.opentrunk.core.config.RouteType;
import org.opentrunk.core.config.Transport;
import org.opentrunk.core.registrar.Binding;
import org.opentrunk.core.routing.dns.ResolvedTarget;

/**
 * Turns a number's routes (IC-ROUTE) into the targets an inbound call tries, in order: each route
 * in priority order, and within a route its targets (a registered PBX's contacts, the SRV/NAPTR
 * records of a domain in RFC 2782/3263 order).
 *
 * <p>DNS is the only slow step: every DNS route of the number is looked up at once on the DNS
 * executor, and the targets are ready when all lookups are in or {@link #DNS_WAIT_MS} has passed
 * (answers are cached by TTL, so most calls find them at once). No SIP thread waits for them: the
 * call continues when the future completes ({@link SessionResume}). A route whose lookup fails or
 * has not answered in time is skipped.
 */
final class RouteTargets {

    /** The most an inbound INVITE waits for its routes' DNS lookups, all routes together. */
    static final long DNS_WAIT_MS = 1_500;
    private static final Logger LOG = Logger.getLogger(RouteTargets.class.getName());

    private final SipTargetResolver dns;
    private final BindingTable bindings;
    private final Executor dnsExecutor;

    /** @param dnsExecutor where DNS lookups run: a managed executor, never the SIP thread itself */
    /**
     * @param dns      SRV and NAPTR resolution (IC-ROUTE)
     * @param bindings the registrar's contacts, for routes of type registration
     */
    RouteTargets(SipTargetResolver dns, BindingTable bindings, Executor dnsExecutor) {
        this.dns = dns;
        this.bindings = bindings;
        this.dnsExecutor = dnsExecutor;
    }

    /**
     * The number's targets in the order to try them; completes within {@link #DNS_WAIT_MS}, at
     * once when no route needs DNS, and never exceptionally (no targets then).
     */
    CompletableFuture<List<CallTarget>> resolve(DidNumber number, Customer customer) {
        List<Route> routes = number.routesInPriorityOrder();
        List<CompletableFuture<List<ResolvedTarget>>> lookups = new ArrayList<>(routes.size());
        for (Route route : routes) {
            lookups.add(switch (route.type()) {
                case SRV -> dns.resolveSrvAsync(route.target(), dnsExecutor);
                case NAPTR -> dns.resolveNaptrAsync(route.target(), dnsExecutor);
                default -> null;
            });
        }
        CompletableFuture<?>[] pending = lookups.stream().filter(java.util.Objects::nonNull)
                .map(lookup -> lookup.handle((answer, error) -> null)).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(pending)
                .completeOnTimeout(null, DNS_WAIT_MS, TimeUnit.MILLISECONDS)
                .thenApply(allInOrTimeUp -> targets(number, customer, routes, lookups))
                .exceptionally(error -> {
                    LOG.log(Level.WARNING, "Routes of " + number.e164() + " not resolved", error);
                    return List.of();
                });
    }

    private List<CallTarget> targets(DidNumber number, Customer customer, List<Route> routes,
                                     List<CompletableFuture<List<ResolvedTarget>>> lookups) {
        List<CallTarget> targets = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            Route route = routes.get(i);
            String user = number.e164();
            switch (route.type()) {
                case HOST -> targets.add(new CallTarget("host " + route.target(), null,
                        "sip:" + user + "@" + route.target(), null));
                case URI -> targets.add(new CallTarget("uri " + route.target(), null, route.target(), null));
                case REGISTRATION -> {
                    for (Binding binding : bindings.current(customer.id(), System.currentTimeMillis())) {
                        targets.add(registered(binding));
                    }
                }
                case SRV, NAPTR -> {
                    for (ResolvedTarget resolved : answered(lookups.get(i), route)) {
                        String transport = resolved.transport().uriSuffix();
                        targets.add(new CallTarget(resolved.origin(), null,
                                "sip:" + user + "@" + resolved.address() + ":" + resolved.port() + transport, null));
                    }
                }
            }
        }
        return targets;
    }

    /**
     * A registered contact: its URI as the Request-URI, sent to the address and port the REGISTER
     * came from (a PBX behind NAT registers a private Contact; only the source is reachable). One
     * that registered through a front (Path, RFC 3327) is sent along that Path instead: the front
     * knows the source and holds its connection.
     */
    private static CallTarget registered(Binding binding) {
        String label = "registration " + binding.contactUri() + " via " + binding.sourceAddress() + ":" + binding.sourcePort();
        if (!binding.path().isEmpty()) {
            return new CallTarget(label + " (Path)", null, binding.contactUri(), null, binding.path());
        }
        String transport = binding.transport().uriSuffix();
        String nextHop = "sip:" + binding.sourceAddress() + ":" + binding.sourcePort() + transport + ";lr";
        return new CallTarget(label, null, binding.contactUri(), nextHop);
    }

    /** The lookup's answer if it is in; empty (and logged) when it failed or is still running. */
    private static List<ResolvedTarget> answered(CompletableFuture<List<ResolvedTarget>> lookup, Route route) {
        if (!lookup.isDone()) {
            LOG.warning(() -> "DNS lookup for route " + route.type().apiName() + " " + route.target()
                    + " took over " + DNS_WAIT_MS + " ms; route skipped");
            return List.of();
        }
        try {
            return lookup.join();
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            LOG.log(Level.INFO, "DNS lookup for route {0} {1} failed: {2}",
                    new Object[] {route.type().apiName(), route.target(), e.getCause() == null ? e : e.getCause()});
            return List.of();
        }
    }
}
