package org.opentrunk.sip;

import org.opentrunk.core.config.LocalIdentity;
import org.opentrunk.core.registrar.BindingTable;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.servlet.sip.SipServletRequest;
import javax.servlet.sip.SipServletResponse;
import javax.servlet.sip.SipURI;
import javax.servlet.sip.TimerService;
import org.opentrunk.core.config.ConfigSnapshot;
import org.opentrunk.core.config.Customer;
import org.opentrunk.core.front.RequestSource;
import org.opentrunk.core.registrar.Binding;
import org.opentrunk.core.registrar.BindingPersistence;
import org.opentrunk.core.registrar.ContactHeaderValues;
import org.opentrunk.core.registrar.RegisterHeaders;
import org.opentrunk.core.registrar.RegisterOutcome;
import org.opentrunk.core.registrar.RegisterProblem;
import org.opentrunk.core.registrar.RegistrarLimits;
import org.opentrunk.core.settings.InboundSettings;

/**
 * The registrar for customers' PBXs (RFC 3261 §10.3): a REGISTER is authenticated with the
 * customer's digest credentials (the same {@link DigestGate} as outbound calls), decided and kept
 * by the {@link org.opentrunk.core.registrar.BindingTable}, written to the database before the
 * 200 OK says it is in force, and answered with every current binding. Each binding remembers the
 * address and port its REGISTER came from: inbound calls are sent there (NAT).
 */
final class RegisterHandler {

    /** The most a REGISTER's answer waits for its bindings to be written; beyond, 500 and the PBX retries. */
    static final long STORE_WAIT_MS = 2_000;
    /** Retry-After on a 500 because the database did not answer in time. */
    static final int STORE_RETRY_AFTER_SECONDS = 30;
    private static final Logger LOG = Logger.getLogger(RegisterHandler.class.getName());

    private final BindingTable bindings;
    private final BindingPersistence persistence;
    private final LocalIdentity identity;
    private final DigestGate digest;
    private final RegistrarLimits limits;
    private final ExecutorService storeExecutor;
    private final TimerService timers;

    /**
     * @param bindings    the registered contacts (IC-REGISTER)
     * @param persistence where they are stored, written off the SIP thread on {@code storeExecutor}
     * @param identity    this trunk's domain: the only one it registers for
     */
    RegisterHandler(BindingTable bindings, BindingPersistence persistence, LocalIdentity identity, InboundSettings inbound,
                    DigestGate digest, ExecutorService storeExecutor, TimerService timers) {
        this.bindings = bindings;
        this.persistence = persistence;
        this.identity = identity;
        this.digest = digest;
        this.storeExecutor = storeExecutor;
        this.timers = timers;
        this.limits = new RegistrarLimits(inbound.registerMinExpires(), inbound.registerMaxExpires(),
                inbound.registerMaxExpires(), RegistrarLimits.DEFAULT_MAX_BINDINGS_PER_CUSTOMER);
    }

    void handle(SipServletRequest register, ConfigSnapshot config) throws IOException {
        // 1. Only for this trunk's domain: OpenTrunk is no registrar for anyone else's.
        if (!(register.getRequestURI() instanceof SipURI uri) || !identity.isOurs(uri.getHost())) {
            register.createResponse(404, "Not Found (not this trunk's domain)").send();
            return;
        }

        // 2. Who: digest with the customer's credentials (challenge, 403, brute-force block).
        Optional<Customer> customer = digest.authenticate(register, config);
        if (customer.isEmpty()) {
            return;
        }

        // 3. Decide and apply (expires limits, 423, "*", CSeq order, several contacts).
        //    The binding keeps the real source (NAT: calls go there) and, for a REGISTER a trusted
        //    front forwarded, its Path (RFC 3327: calls go back through that front). A Path from
        //    anyone else is not followed: a single node keeps sending to where REGISTERs came from.
        long now = System.currentTimeMillis();
        RequestSource source = RequestSources.of(register);
        List<String> path = source.viaFront() ? CarrierLegHeaders.values(register, "Path") : List.of();
        RegisterOutcome outcome = bindings.register(new RegisterHeaders(customer.get().id(),
                CarrierLegHeaders.values(register, "Contact"), register.getHeader("Expires"), register.getCallId(),
                register.getHeader("CSeq"), source.address(), source.port(), source.transport(),
                register.getHeader("User-Agent"), now, path), limits);
        if (outcome instanceof RegisterOutcome.IntervalTooBrief brief) {
            SipServletResponse response = register.createResponse(brief.status(), brief.reason());
            response.setHeader("Min-Expires", String.valueOf(brief.minExpiresSeconds()));
            response.send();
            return;
        }
        if (outcome instanceof RegisterOutcome.Rejected rejected) {
            LOG.fine(() -> "REGISTER of customer " + customer.get().id() + " refused: " + rejected.detail());
            SipServletResponse response = register.createResponse(rejected.status(), rejected.reason());
            if (rejected.problem() == RegisterProblem.REGISTRATIONS_FULL) {
                response.setHeader("Retry-After", String.valueOf(STORE_RETRY_AFTER_SECONDS));
            }
            response.send();
            return;
        }

        // 4. Durable before it is acknowledged: bindings survive a restart. The write runs on the
        //    store executor and the answer goes out when it is done; no SIP thread waits for it.
        List<Binding> current = ((RegisterOutcome.Current) outcome).current();
        CompletableFuture<Boolean> stored = outcome instanceof RegisterOutcome.Updated
                ? store(customer.get().id()) : CompletableFuture.completedFuture(true);
        SessionResume.when(stored, register.getApplicationSession(), timers, "REGISTER " + register.getCallId(), () -> {
            try {
                answer(register, stored.join(), current, now);
            } catch (IOException | IllegalStateException e) {
                LOG.log(Level.INFO, "REGISTER " + register.getCallId() + " not answered: " + e);
            }
        });
    }

    /** 5. 200 with every current binding and the time it has left; 500 when they were not stored. */
    private static void answer(SipServletRequest register, boolean stored, List<Binding> current, long now) throws IOException {
        if (!stored) {
            SipServletResponse response = register.createResponse(500, "Server Internal Error (Registration Not Stored)");
            response.setHeader("Retry-After", String.valueOf(STORE_RETRY_AFTER_SECONDS));
            response.send();
            return;
        }
        SipServletResponse ok = register.createResponse(200);
        for (String contact : ContactHeaderValues.of(current, now)) {
            ok.addHeader("Contact", contact);
        }
        ok.send();
    }

    private final Object[] writeLocks = java.util.stream.IntStream.range(0, 64).mapToObj(i -> new Object()).toArray();

    private Object writeLock(long customerId) {
        return writeLocks[(int) Math.floorMod(customerId, (long) writeLocks.length)];
    }

    /**
     * Writes the customer's bindings as they are when the write runs; completes with true when
     * stored, false when the database failed or took over {@link #STORE_WAIT_MS}. Never
     * completes exceptionally.
     */
    private CompletableFuture<Boolean> store(long customerId) {
        if (persistence == null) {
            return CompletableFuture.completedFuture(false);
        }
        return CompletableFuture.runAsync(() -> {
                    // One write at a time per customer, of the table as it is then: two REGISTERs
                    // racing can never leave the older list in the database.
                    synchronized (writeLock(customerId)) {
                        try {
                            persistence.replace(customerId, bindings.current(customerId, System.currentTimeMillis()));
                        } catch (Exception e) {
                            throw new java.util.concurrent.CompletionException(e);
                        }
                    }
                }, storeExecutor)
                .orTimeout(STORE_WAIT_MS, TimeUnit.MILLISECONDS)
                .handle((done, error) -> {
                    if (error != null) {
                        LOG.log(Level.WARNING, "Bindings of customer " + customerId + " not stored"
                                + (error instanceof java.util.concurrent.TimeoutException ? " within " + STORE_WAIT_MS + " ms" : ""),
                                error);
                    }
                    return error == null;
                });
    }
}
