package org.opentrunk.sip;

import org.opentrunk.core.config.LocalIdentity;
import org.opentrunk.core.registrar.BindingTable;
import org.opentrunk.core.registrar.ConnectionFlowPort;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
import org.opentrunk.core.registrar.BindingWriter;
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
 * 200 OK says it is in force (while the database answers; while it does not, kept in memory and
 * written when it is back, issue 25), and answered with every current binding. Each binding remembers the
 * address and port its REGISTER came from: inbound calls are sent there (NAT).
 */
final class RegisterHandler {

    /**
     * The most a REGISTER's answer waits for its bindings to be written while the database answers;
     * while it is known to be down the answer does not wait at all ({@link BindingWriter}).
     */
    static final long STORE_WAIT_MS = 2_000;
    /** Retry-After on a refusal because the customer has as many bindings as it may. */
    static final int STORE_RETRY_AFTER_SECONDS = 30;
    private static final Logger LOG = Logger.getLogger(RegisterHandler.class.getName());

    private final BindingTable bindings;
    private final BindingWriter writer;
    private final LocalIdentity identity;
    private final DigestGate digest;
    private final RegistrarLimits limits;
    private final TimerService timers;

    /**
     * @param bindings    the registered contacts (IC-REGISTER)
     * @param writer      stores them, off the SIP thread on a thread of its own (null: memory only)
     * @param identity    this trunk's domain: the only one it registers for
     */
    RegisterHandler(BindingTable bindings, BindingWriter writer, LocalIdentity identity, InboundSettings inbound,
                    DigestGate digest, TimerService timers) {
        this.bindings = bindings;
        this.writer = writer;
        this.identity = identity;
        this.digest = digest;
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
        //    Over TCP and TLS the port kept is the one Liberty files the PBX's connection under
        //    (its Via's sent-by port), so that calls and keepalives go over that connection.
        List<String> path = source.viaFront() ? CarrierLegHeaders.values(register, "Path") : List.of();
        int port = source.viaFront() ? source.port()
                : ConnectionFlowPort.of(source.transport(), source.port(), register.getHeader("Via"));
        RegisterOutcome outcome = bindings.register(new RegisterHeaders(customer.get().id(),
                CarrierLegHeaders.values(register, "Contact"), register.getHeader("Expires"), register.getCallId(),
                register.getHeader("CSeq"), source.address(), port, source.transport(),
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
                if (!stored.join()) {
                    LOG.fine(() -> "REGISTER " + register.getCallId() + ": bindings in force, written when the database answers");
                }
                answer(register, current, now);
            } catch (IOException | IllegalStateException e) {
                LOG.log(Level.INFO, "REGISTER " + register.getCallId() + " not answered: " + e);
            }
        });
    }

    /**
     * 5. 200 with every current binding. Stored or not: the bindings are in force in memory from
     * step 3 on, and a write the database did not take is made when it answers
     * ({@link BindingWriter}); answering 500 would only make the PBX believe it is not registered
     * while its calls are routed to it. A restart while the database is away loses those writes
     * (the PBX registers again at its next refresh).
     */
    private static void answer(SipServletRequest register, List<Binding> current, long now) throws IOException {
        SipServletResponse ok = register.createResponse(200);
        for (String contact : ContactHeaderValues.of(current, now)) {
            ok.addHeader("Contact", contact);
        }
        ok.send();
    }

    /**
     * Writes the customer's bindings (as they are when the write runs) on the writer's own thread;
     * completes with true when stored, false when the database failed, is known to be down, or
     * took over {@link #STORE_WAIT_MS}. Never completes exceptionally.
     */
    private CompletableFuture<Boolean> store(long customerId) {
        if (writer == null) {
            return CompletableFuture.completedFuture(false);
        }
        return writer.write(customerId).completeOnTimeout(false, STORE_WAIT_MS, TimeUnit.MILLISECONDS);
    }
}
