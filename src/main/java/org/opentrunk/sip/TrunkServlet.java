package org.opentrunk.sip;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.servlet.ServletException;
import javax.servlet.sip.SipFactory;
import javax.servlet.sip.SipServletRequest;
import javax.servlet.sip.SipServletResponse;
import javax.servlet.sip.SipURI;
import javax.servlet.sip.TimerService;
import javax.servlet.sip.annotation.SipServlet;
import org.opentrunk.call.CallPlan;
import org.opentrunk.call.StirPlan;
import org.opentrunk.core.config.Carrier;
import org.opentrunk.core.config.ConfigSnapshot;
import org.opentrunk.core.auth.IpAuthResult;
import org.opentrunk.core.auth.IpAuthentication;
import org.opentrunk.core.auth.TechPrefixUser;
import org.opentrunk.core.headers.XTag;
import org.opentrunk.core.text.UntrustedText;
import org.opentrunk.core.cdr.CallDirection;
import org.opentrunk.core.config.Customer;
import org.opentrunk.core.callerid.CallerOwnership;
import org.opentrunk.core.callerid.IdentifiedCaller;
import org.opentrunk.core.headers.WarningHeader;
import org.opentrunk.core.numbering.EmergencyNumbers;
import org.opentrunk.core.numbering.NumberParser;
import org.opentrunk.core.numbering.ParseResult;
import org.opentrunk.core.sdp.SessionDescription;
import org.opentrunk.core.timer.SessionTimerRules;
import org.opentrunk.core.limits.CallRateLimiter;
import org.opentrunk.core.limits.ChannelGrant;
import org.opentrunk.core.limits.CountryGuard;
import org.opentrunk.core.limits.Admission;
import org.opentrunk.core.securitylog.SecurityEvent;
import org.opentrunk.core.securitylog.SecurityLog;
import org.opentrunk.core.methods.MethodPolicy;
import org.opentrunk.core.routing.CarrierSelection;
import org.opentrunk.core.stir.Attestation;
import org.opentrunk.core.stir.AttestationRules;
import org.opentrunk.core.timer.SteadyClock;
import org.opentrunk.core.registrar.BindingWriter;
import org.opentrunk.hep.HepExport;
import org.opentrunk.ladder.CallLadders;
import org.opentrunk.metrics.RefusalReason;

/**
 * OpenTrunk's SIP entry point: every request and response of the application arrives here and
 * is handed to the call it belongs to. Initial INVITEs are the call path; read it top-down in
 * {@link #doInvite}.
 */
@SipServlet(name = TrunkServlet.NAME, loadOnStartup = 1)
public class TrunkServlet extends javax.servlet.sip.SipServlet {

    /** The servlet's name, selected as main servlet in WEB-INF/sip.xml. */
    public static final String NAME = "opentrunk";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(TrunkServlet.class.getName());
    private static final String MANAGED_SCHEDULER = "java:comp/DefaultManagedScheduledExecutorService";
    private static final String MANAGED_EXECUTOR = "java:comp/DefaultManagedExecutorService";
    /** IC-CALLER-OWNER: the reason phrase of a refused caller ID; the Warning header says which. */
    static final String CALLER_ID_NOT_ALLOWED = "Forbidden (Caller ID Not Allowed)";
    /** Characters of a refused request's From URI in the log: enough to tell a hosted platform's tenants apart. */
    private static final int FROM_LOG_LENGTH = 80;
    /** Reason phrase of the 503 to an OPTIONS while the readiness checks fail (/health/ready says which). */
    static final String NOT_READY = "Service Unavailable (Not Ready)";
    /** What a caller refused because the shared counters are out of reach is told to wait (issue 20). */
    static final int SHARED_STATE_RETRY_AFTER_SECONDS = 5;

    private transient Trunk trunk;
    private transient SipFactory sipFactory;
    private transient TimerService timers;
    private transient CallServices calls;
    private transient DigestGate digest;
    private transient CarrierProbe probe;
    private transient InboundInvite inbound;
    private transient RegisterHandler registrar;
    private transient RegistrationKeepalive keepalive;
    /** Writes registrations to the database on a thread of its own (a hung database holds only it). */
    private transient BindingWriter bindingWriter;
    /** Counts live calls per carrier for the admin's charts. */
    private transient java.util.concurrent.ScheduledFuture<?> liveSampler;

    @Override
    public void init() throws ServletException {
        // The application's composition root builds the trunk (org.opentrunk.admin.TrunkAssembly).
        trunk = javax.enterprise.inject.spi.CDI.current().select(Trunk.class).get();
        sipFactory = Trunk.sipFactory(getServletContext());
        timers = (TimerService) getServletContext().getAttribute(TIMER_SERVICE);
        CallLadders ladders = javax.enterprise.inject.spi.CDI.current().select(CallLadders.class).get();
        HepExport hep = javax.enterprise.inject.spi.CDI.current().select(HepExport.class).get();
        calls = CallServices.of(trunk, sipFactory, timers, new LadderTap(ladders, hep));
        digest = new DigestGate(trunk.nonces(), trunk.settings().sipDomain(), trunk.authFailures(),
                trunk.settings().security().digestAlgorithms(), trunk.metrics()::refused);
        SessionCounts.publish();
        try {
            trunk.startMedia();
        } catch (IOException e) {
            throw new ServletException("The media relay cannot start", e);
        }
        // Behind a front every request this node originates goes through it (issue 20, OT_OUTBOUND_PROXY).
        OutboundRoutes.use(trunk.settings().front().outboundProxy());
        RequestSources.trust(trunk.settings().front().trustedFronts());
        probe = new CarrierProbe(trunk.config(), trunk.carrierHealth(), trunk.identity(), sipFactory);
        try {
            InitialContext jndi = new InitialContext();
            ScheduledExecutorService scheduler = (ScheduledExecutorService) jndi.lookup(MANAGED_SCHEDULER);
            ExecutorService executor = (ExecutorService) jndi.lookup(MANAGED_EXECUTOR);
            probe.start(scheduler, trunk.settings().carrierProbeInterval());
            long sample = org.opentrunk.metrics.CallHistory.CARRIER_LIVE_SAMPLE.toMillis();
            liveSampler = scheduler.scheduleAtFixedRate(() -> {
                try {
                    trunk.sampleCarrierLive();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Counting live calls per carrier failed", e); // and the next sample runs
                }
            }, sample, sample, java.util.concurrent.TimeUnit.MILLISECONDS);
            inbound = new InboundInvite(trunk, calls, new RouteTargets(trunk.dns(), trunk.bindings(), executor));
            bindingWriter = trunk.bindingPersistence() == null ? null : new BindingWriter(trunk.bindingPersistence(),
                    customerId -> trunk.bindings().current(customerId, System.currentTimeMillis()),
                    trunk.clusterHooks().bindingsStored());
            registrar = new RegisterHandler(trunk.bindings(), bindingWriter, trunk.identity(),
                    trunk.settings().inbound(), digest, timers);
            keepalive = new RegistrationKeepalive(trunk.bindings(), bindingWriter, probe, trunk.clusterHooks().keepaliveDuty());
            keepalive.start(scheduler, trunk.settings().inbound().keepaliveInterval());
        } catch (NamingException e) {
            trunk.stopMedia(); // destroy() is not called after a failed init(): free the relay's ports
            throw new ServletException("No managed executors (" + MANAGED_SCHEDULER + ", " + MANAGED_EXECUTOR + ")", e);
        }
    }

    @Override
    public void destroy() {
        if (probe != null) {
            probe.stop();
        }
        if (keepalive != null) {
            keepalive.stop();
        }
        if (bindingWriter != null) {
            bindingWriter.close();
        }
        if (liveSampler != null) {
            liveSampler.cancel(false);
        }
        SessionCounts.unpublish();
        trunk.stopMedia();
    }

    /** IC-METHODS: anything but the six supported methods is refused before dispatch. */
    @Override
    protected void doRequest(SipServletRequest request) throws ServletException, IOException {
        String method = request.getMethod();
        // Who really sent it: a trusted front's X-OT-Source, else the container's address (issue 20).
        RequestSources.note(request);
        if (!request.isInitial()) {
            if (SipCall.of(request) != null) {
                calls.ladder().received(request); // within a live call: strays cannot fill the ring
            }
        } else if ("INVITE".equals(method)) {
            LadderTap.arrived(request); // kept once it is a call's (or a refused attempt's, with a CDR)
        }
        if (!MethodPolicy.isSupported(method)) {
            SipServletResponse response = request.createResponse(405, "Method Not Allowed");
            response.setHeader("Allow", MethodPolicy.ALLOW);
            response.send();
            return;
        }
        try {
            super.doRequest(request);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Failed to handle " + method + " " + request.getCallId(), e);
            if (!"ACK".equals(method) && !"CANCEL".equals(method) && !request.isCommitted()) {
                request.createResponse(500, "Server Internal Error").send();
            }
        }
    }

    @Override
    protected void doOptions(SipServletRequest request) throws IOException {
        if (request.isInitial() && probe.isOwnProbe(request)) {
            probe.forward(request);
            return;
        }
        // A load balancer's probe (Kamailio's dispatcher) takes a node that is not ready out of
        // rotation by itself. Not in a dialog: a PBX's in-call OPTIONS must not end a live call.
        SipServletResponse response = request.isInitial() && !trunk.ready()
                ? request.createResponse(503, NOT_READY) : request.createResponse(200);
        response.setHeader("Allow", MethodPolicy.ALLOW);
        response.setHeader("Accept", MethodPolicy.ACCEPT);
        response.setHeader("Supported", MethodPolicy.SUPPORTED_EXTENSIONS);
        response.send();
    }

    @Override
    protected void doRegister(SipServletRequest request) throws IOException {
        registrar.handle(request, trunk.config().current());
    }

    /** The call path: who is calling, may they, and where does the call go. */
    @Override
    protected void doInvite(SipServletRequest invite) throws IOException {
        if (!invite.isInitial()) {
            SipCall call = SipCall.of(invite);
            if (call == null) {
                invite.createResponse(481, "Call/Transaction Does Not Exist").send();
            } else {
                call.onReinvite(invite);
            }
            return;
        }
        ConfigSnapshot config = trunk.config().current();

        // 0. Overload: INVITEs in setup overall, and per source for unknown sources (503 + Retry-After).
        String source = RequestSources.of(invite).address();
        boolean knownSource = config.carrierByAddress(source).isPresent() || config.isCustomerAddress(source);
        Admission admission = knownSource ? trunk.admission().tryAdmitExemptSource()
                : trunk.admission().tryAdmit(source, System.nanoTime());
        if (admission instanceof Admission.Refused refused) {
            trunk.metrics().refused(null, RefusalReason.OVERLOAD);
            SecurityLog.floodRefused(source, refused.reason().name().toLowerCase(java.util.Locale.ROOT), System.nanoTime());
            SipServletResponse busy = invite.createResponse(503, "Service Unavailable (" + refused.reason().description() + ")");
            busy.setHeader("Retry-After", String.valueOf(refused.retryAfterSeconds()));
            busy.send();
            return;
        }
        Admission.Admitted admitted = (Admission.Admitted) admission;
        boolean continues = false;
        try {
            // 1. Classify: a carrier's address means an inbound DID call; anything else is a customer.
            Optional<Carrier> fromCarrier = config.carrierByAddress(source);
            if (fromCarrier.isPresent()) {
                continues = inbound.handle(invite, fromCarrier.get(), config, admitted);
            } else {
                continues = outbound(invite, config, admitted);
            }
        } finally {
            if (!continues && SipCall.of(invite) == null) {
                admitted.release(); // refused, or already over: idempotent either way
            }
        }
    }

    /**
     * The outbound call path: a customer's INVITE to a carrier. True when the INVITE's handling goes
     * on elsewhere (its admission is answered by the shared counters), which then gives back the
     * admission place; false when it was answered or its call started here.
     */
    private boolean outbound(SipServletRequest invite, ConfigSnapshot config, Admission.Admitted admitted) throws IOException {
        if (!(invite.getRequestURI() instanceof SipURI requestUri)
                || !trunk.identity().isOurs(requestUri.getHost())) {
            invite.createResponse(404, "Not Found (not this trunk's domain)").send();
            return false;
        }

        // 2. Authenticate (IC-IPAUTH, then IC-DIGEST). Nothing unauthenticated reaches a carrier.
        //    An address the brute-force guard blocked gets the same 403 whatever it sends: the
        //    right tech prefix does not get through either, as the right password does not.
        if (trunk.authFailures().isBlocked(RequestSources.of(invite).address(), SteadyClock.millis())) {
            trunk.metrics().refused(null, RefusalReason.BLOCKED_ADDRESS);
            invite.createResponse(403, "Forbidden").send();
            return false;
        }
        Customer customer;
        String dialled;
        IpAuthResult ipAuth = IpAuthentication.decide(config, RequestSources.of(invite).address(), requestUri.getUser());
        if (ipAuth instanceof IpAuthResult.Authenticated byIp) {
            customer = byIp.customer();
            dialled = byIp.dialledNumberText();
        } else if (ipAuth instanceof IpAuthResult.Refused refused) {
            trunk.metrics().refused(null, RefusalReason.AUTH);
            prefixMissed(invite, refused);
            invite.createResponse(refused.sipStatus(), refused.reasonPhrase()).send();
            return false;
        } else {
            Optional<Customer> byDigest = digest.authenticate(invite, config);
            if (byDigest.isEmpty()) {
                return false; // challenged or refused
            }
            customer = byDigest.get();
            // A digest-authenticated PBX may still send its tech prefix: strip its own.
            dialled = TechPrefixUser.parse(requestUri.getUser())
                    .filter(p -> p.techPrefix().equals(byDigest.get().techPrefix()))
                    .map(TechPrefixUser::dialled).orElse(requestUri.getUser());
        }
        long authorisedAtMs = System.currentTimeMillis();
        Refusal refuse = (status, reason, callee) -> refuseAuthorised(invite, customer, authorisedAtMs, status, reason, callee, null);
        Optional<String> unsupported = InviteChecks.unsupportedRequiredExtensions(invite);
        if (unsupported.isPresent()) {
            refuseAuthorised(invite, customer, authorisedAtMs, 420, "Bad Extension", null, Map.of("Unsupported", unsupported.get()));
            return false;
        }

        // 3. Emergency short codes of the customer's country come before any number rule or
        //    limit (IC-EMERGENCY): they are never refused by accident.
        Optional<String> emergencyCode = EmergencyNumbers.match(dialled, customer.country());
        if (emergencyCode.isPresent()) {
            emergency(invite, config, customer, emergencyCode.get(), admitted, authorisedAtMs);
            return false;
        }

        // 3b. The called number in E.164 (IC-E164), and may this customer call it. A refusal says
        //     why in a Warning header (a national number gets the E.164 form to dial instead).
        ParseResult callee = NumberParser.parseDialled(dialled, customer.country());
        if (callee instanceof ParseResult.Rejected rejected) {
            trunk.numberRefusalLog().refused("customer " + customer.id() + ", " + rejected.detail(), System.nanoTime());
            refuseAuthorised(invite, customer, authorisedAtMs, rejected.sipStatus(), rejected.reasonPhrase(), null,
                    Map.of(WarningHeader.NAME, WarningHeader.value(trunk.identity().domain(), rejected.detail())));
            return false;
        }
        String calledNumber = callee.number().orElseThrow().value();
        if (!customer.allowedPrefixes().isEmpty()
                && customer.allowedPrefixes().stream().noneMatch(calledNumber::startsWith)) {
            trunk.metrics().refused(customer.id(), RefusalReason.DESTINATION_NOT_ALLOWED);
            refuse.send(403, "Forbidden (Destination Not Allowed)", calledNumber);
            return false;
        }

        // 3c. Who calls (IC-CLI-OUT, IC-COUNTRY), and may this customer present that number (IC-CALLER-OWNER).
        IdentifiedCaller caller = CarrierLegHeaders.caller(invite, customer);
        if (!CallerOwnership.mayPresent(customer, caller.number(), config)) {
            trunk.callerIdRefusals().count(customer.id());
            trunk.metrics().refused(customer.id(), RefusalReason.CALLER_ID);
            String shown = caller.number().map(n -> n.value()).orElse("no valid number");
            trunk.callerIdRefusalLog().refused(shown + " from customer " + customer.id() + " (" + customer.name()
                    + "), which may present only its own and verified numbers", System.nanoTime());
            refuseAuthorised(invite, customer, authorisedAtMs, 403, CALLER_ID_NOT_ALLOWED, calledNumber,
                    Map.of(WarningHeader.NAME, WarningHeader.value(trunk.identity().domain(), "caller ID " + shown
                            + " is not one of this account's numbers or verified numbers")));
            return false;
        }

        // 4. Toll-fraud guards and limits: block list, automatic per-country guard, calls per second.
        if (config.isBlocked(calledNumber)) {
            trunk.metrics().refused(customer.id(), RefusalReason.BLOCKED_DESTINATION);
            refuse.send(403, "Forbidden (Destination Blocked)", calledNumber);
            return false;
        }
        long guardNowMs = SteadyClock.millis(); // the guard's minute must not bend with the wall clock
        Optional<CountryGuard.Suspension> suspended = trunk.countryGuard()
                .admit(customer.id(), callee.number().orElseThrow().countryCode(), guardNowMs);
        if (suspended.isPresent()) {
            trunk.metrics().refused(customer.id(), RefusalReason.FRAUD_GUARD);
            if (suspended.get().trippedAtMs() == guardNowMs) {
                SecurityLog.event(SecurityEvent.FRAUD_GUARD, RequestSources.of(invite).address(), "customer", Long.toString(customer.id()),
                        "country", "+" + suspended.get().countryCode(), "limit", Integer.toString(suspended.get().limitPerMinute()));
                LOG.warning(() -> "Fraud guard: customer " + customer.id() + " (" + customer.name() + ") exceeded "
                        + suspended.get().limitPerMinute() + " calls per minute to +" + suspended.get().countryCode()
                        + "; further calls there are refused until an operator clears it");
            }
            refuse.send(403, "Forbidden (Destination Suspended)", calledNumber);
            return false;
        }

        // 4b. Session timer of the customer's leg (IC-TIMER): too short an interval is 422.
        Optional<SessionTimerRules.UasDecision.Agreed> customerTimer = customerTimer(invite, customer, authorisedAtMs, calledNumber);
        if (customerTimer.isEmpty()) {
            return false;
        }

        // 5. What crosses to the carrier: identity with the stored CNAM name (IC-CNAM-OUT), and
        //    IC-DIVERSION, IC-CHARGE, IC-OLI.
        CarrierLegHeaders.Built carrierLeg = CarrierLegHeaders.build(invite, caller, customer, calledNumber, false, config,
                trunk.identity().domain());

        // 6. The offer: allowed codecs only (IC-CODEC); media addresses untouched (IC-DIRECT).
        Optional<ReceivedOffer.Accepted> offer = checkedOffer(invite, customer, authorisedAtMs, calledNumber);
        if (offer.isEmpty()) {
            return false;
        }

        // 7. Where to: carriers by priority and weight (and, with probes, health).
        List<Carrier> carriers = CarrierSelection.order(config.carriers(), trunk.carrierHealth().down(),
                ThreadLocalRandom.current());
        if (carriers.isEmpty()) {
            refuse.send(503, "Service Unavailable (No Carrier)", calledNumber);
            return false;
        }

        // 8. A channel and a place in the call rate (maxChannels, counted in both directions, and
        //    maxCps), held until the call ends however it ends. With several nodes the counters are
        //    shared (issue 20): the call goes on when their answer is in; no SIP thread waits for it.
        CompletionStage<ChannelGrant> granted = trunk.callAdmission().acquire(customer.id(), customer.maxChannels(),
                customer.maxCps());
        OutboundAdmission next = new OutboundAdmission(invite, customer, caller, calledNumber, carrierLeg,
                offer.get().sdp(), carriers, customerTimer.get(), admitted, authorisedAtMs, config);
        SessionResume.when(granted, invite.getApplicationSession(), timers, "admission of call " + invite.getCallId(),
                () -> next.admitted(granted.toCompletableFuture().join()),
                () -> next.dropped(granted.toCompletableFuture().join()));
        return true;
    }

    /** An outbound call waiting for its channel (step 8); steps 8b and 9 once it is in. */
    private final class OutboundAdmission {
        private final SipServletRequest invite;
        private final Customer customer;
        private final IdentifiedCaller caller;
        private final String calledNumber;
        private final CarrierLegHeaders.Built carrierLeg;
        private final SessionDescription offer;
        private final List<Carrier> carriers;
        private final SessionTimerRules.UasDecision.Agreed customerTimer;
        private final Admission.Admitted admitted;
        private final long authorisedAtMs;
        private final ConfigSnapshot config;

        OutboundAdmission(SipServletRequest invite, Customer customer, IdentifiedCaller caller, String calledNumber,
                          CarrierLegHeaders.Built carrierLeg, SessionDescription offer, List<Carrier> carriers,
                          SessionTimerRules.UasDecision.Agreed customerTimer, Admission.Admitted admitted,
                          long authorisedAtMs, ConfigSnapshot config) {
            this.invite = invite;
            this.customer = customer;
            this.caller = caller;
            this.calledNumber = calledNumber;
            this.carrierLeg = carrierLeg;
            this.offer = offer;
            this.carriers = carriers;
            this.customerTimer = customerTimer;
            this.admitted = admitted;
            this.authorisedAtMs = authorisedAtMs;
            this.config = config;
        }

        /** The session ended while the counters answered (the caller cancelled): the channel and place back, one CDR. */
        void dropped(ChannelGrant channel) {
            channel.release();
            admitted.release();
            trunk.record(RefusedAttempt.record(invite, CallDirection.OUTBOUND, customer.id(), null, calledNumber,
                    authorisedAtMs, 487, false));
        }

        /** Steps 8b and 9 on the call's own container thread, or the refusal the counters decided. */
        void admitted(ChannelGrant channel) {
            boolean started = false;
            try {
                if (invite.isCommitted()) {
                    // The caller cancelled while the shared counters answered: the container sent 487.
                    trunk.record(RefusedAttempt.record(invite, CallDirection.OUTBOUND, customer.id(), null, calledNumber,
                            authorisedAtMs, 487, false));
                    return;
                }
                switch (channel.verdict()) {
                    case CHANNEL_LIMIT -> {
                        trunk.metrics().refused(customer.id(), RefusalReason.CHANNEL_LIMIT);
                        refuseAuthorised(invite, customer, authorisedAtMs, 403, "Forbidden (Channel Limit Exceeded)",
                                calledNumber, null);
                        return;
                    }
                    case RATE_LIMIT -> {
                        trunk.metrics().refused(customer.id(), RefusalReason.CALL_RATE_LIMIT);
                        refuseAuthorised(invite, customer, authorisedAtMs, 503, "Service Unavailable (Call Rate Limit)",
                                calledNumber, Map.of("Retry-After", String.valueOf(CallRateLimiter.RETRY_AFTER_SECONDS)));
                        return;
                    }
                    case UNAVAILABLE -> {
                        trunk.metrics().refused(customer.id(), RefusalReason.OVERLOAD);
                        refuseAuthorised(invite, customer, authorisedAtMs, 503, "Service Unavailable (Shared State Unreachable)",
                                calledNumber, Map.of("Retry-After", String.valueOf(SHARED_STATE_RETRY_AFTER_SECONDS)));
                        return;
                    }
                    case ADMITTED -> { }
                }
                // 8b. STIR/SHAKEN (IC-STIR): the attestation the caller number earns, and the signed
                //     Identity when a carrier it may go to asks for one.
                StirPlan stir = signature(invite, customer, caller, calledNumber, carriers, config);
                // 9. The carrier leg, and the call (relaying, failover, teardown) from here on.
                started = startCall(invite, customer, calledNumber, carrierLeg, offer, carriers, customerTimer, false,
                        admitted, stir, channel);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "Outbound call " + invite.getCallId() + " failed after its admission", e);
                if (!invite.isCommitted()) {
                    try {
                        invite.createResponse(500, "Server Internal Error").send();
                    } catch (IOException | RuntimeException ignored) {
                        // nothing more to tell the caller
                    }
                }
            } finally {
                if (!started) {
                    channel.release();
                    admitted.release();
                }
            }
        }
    }

    /**
     * A wrong or missing tech prefix from a customer's address: logged (rate-limited) and counted
     * like a failed digest authentication, so a blind search of prefixes is blocked (IC-IPAUTH).
     */
    private void prefixMissed(SipServletRequest invite, IpAuthResult.Refused refused) {
        long nowMs = SteadyClock.millis(); // windows and blocks: immune to wall-clock steps
        String from = invite.getFrom() == null ? "none" : UntrustedText.quote(invite.getFrom().getURI().toString(), FROM_LOG_LENGTH);
        trunk.prefixMissLog().refused(refused.detail() + ", From " + from, System.nanoTime());
        IpAuthResult.PrefixMiss miss = refused.miss();
        // Recorded under the request's source, as DigestGate does, so that the isBlocked checks
        // above and there find it.
        String source = RequestSources.of(invite).address();
        boolean counts = trunk.prefixMisses().counts(miss, nowMs);
        SecurityLog.event(SecurityEvent.PREFIX_MISS, source, "counted", counts ? "yes" : "no",
                "shared", miss.sharedAddress() ? "yes" : "no", "prefix", miss.techPrefix().isPresent() ? "wrong" : "none",
                "from", SecurityLog.quoted(invite.getFrom() == null ? null : invite.getFrom().getURI().toString()));
        if (counts && trunk.authFailures().recordFailure(source, nowMs)) {
            SecurityLog.event(SecurityEvent.BLOCK, source, "cause", "tech_prefix", "failures",
                    Integer.toString(trunk.authFailures().maxFailures()), "seconds",
                    Long.toString(trunk.authFailures().blockSeconds()));
            LOG.warning(() -> "Blocked " + source + " after " + trunk.authFailures().maxFailures()
                    + " failed authentications (last a refused tech prefix" + (miss.sharedAddress()
                    ? ", from an address " + miss.customersOfAddress() + " customers share" : "")
                    + "); see /api/v1/security/blocks");
        }
    }

    /**
     * An emergency call (IC-EMERGENCY): to the carriers marked {@code emergency}, the short code in
     * the Request-URI as the carrier expects it, with the caller's number, and exempt from the
     * allowed prefixes, the block list, the fraud guard, the call rate and the channel limit (its
     * channel is counted, never refused). Without such a carrier: 380 Alternative Service, a
     * WARNING in the log and a CDR marked emergency, never a silent drop.
     */
    private void emergency(SipServletRequest invite, ConfigSnapshot config, Customer customer, String code,
                           Admission.Admitted admitted, long authorisedAtMs) throws IOException {
        IdentifiedCaller presented = CarrierLegHeaders.caller(invite, customer);
        // Never refused for its caller ID (IC-CALLER-OWNER), but not sent with a number the customer
        // does not hold either: the answering point calls that number back.
        IdentifiedCaller caller = presented;
        if (!CallerOwnership.mayPresent(customer, presented.number(), config)) {
            Optional<org.opentrunk.core.numbering.E164Number> callback = CallerOwnership.callbackNumber(customer, config);
            caller = callback.map(presented::withNumber).orElse(presented);
            String sent = caller.number().map(n -> n.value()).orElse("no number");
            LOG.warning(() -> "EMERGENCY call to " + code + " from customer " + customer.id() + " presented caller ID "
                    + presented.number().map(n -> n.value()).orElse("none") + ", which it may not present; sent with "
                    + sent + (callback.isPresent() ? ", a number it holds" : ", as it holds no number at all"));
        }
        String shownCaller = caller.number().map(n -> n.value()).orElse("an unknown number");
        List<Carrier> carriers = CarrierSelection.orderDownLast(config.carriers().stream().filter(Carrier::emergency).toList(),
                trunk.carrierHealth().down(), ThreadLocalRandom.current());
        if (carriers.isEmpty()) {
            LOG.warning(() -> "EMERGENCY call to " + code + " from customer " + customer.id() + " (" + customer.name()
                    + "), caller " + shownCaller + ", refused: no enabled carrier is marked for emergency calls"
                    + " (set \"emergency\": true on a carrier)");
            SipServletResponse refusal = invite.createResponse(380, "Alternative Service (No Emergency Route)");
            refusal.setHeader(WarningHeader.NAME, WarningHeader.value(trunk.identity().domain(),
                    "this trunk has no route for emergency calls; call " + code + " another way"));
            refusal.send();
            calls.ladder().refused(invite, refusal);
            trunk.record(RefusedAttempt.record(invite, CallDirection.OUTBOUND, customer.id(), null, code, authorisedAtMs, 380, true));
            return;
        }
        LOG.warning(() -> "EMERGENCY call to " + code + " from customer " + customer.id() + " (" + customer.name()
                + "), caller " + shownCaller + ", to " + carriers.get(0).name());
        Optional<SessionTimerRules.UasDecision.Agreed> customerTimer = customerTimer(invite, customer, authorisedAtMs, code);
        if (customerTimer.isEmpty()) {
            return;
        }
        Optional<ReceivedOffer.Accepted> offer = checkedOffer(invite, customer, authorisedAtMs, code);
        if (offer.isEmpty()) {
            return;
        }
        CarrierLegHeaders.Built carrierLeg = CarrierLegHeaders.build(invite, caller, customer, code, true, config,
                trunk.identity().domain());
        ChannelGrant channel = trunk.callAdmission().count(customer.id()); // counted, never refused
        boolean started = false;
        try {
            // Not signed: SHAKEN covers calls between telephone numbers; an emergency carrier takes
            // the short code on its own terms (and a signature must never be a reason to drop one).
            started = startCall(invite, customer, code, carrierLeg, offer.get().sdp(), carriers, customerTimer.get(), true,
                    admitted, StirPlan.NONE, channel);
        } finally {
            if (!started) {
                channel.release();
            }
        }
    }

    /** The customer leg's session timer (IC-TIMER), or empty after answering 422. */
    private Optional<SessionTimerRules.UasDecision.Agreed> customerTimer(SipServletRequest invite, Customer customer,
                                                                         long startMs, String callee) throws IOException {
        SessionTimerRules.UasDecision timer = SessionTimerRules.asUas(invite.getHeader("Session-Expires"),
                InviteChecks.listsTimer(invite),
                trunk.settings().sessionMinSe(), trunk.settings().sessionExpires());
        if (timer instanceof SessionTimerRules.UasDecision.TooSmall tooSmall) {
            refuseAuthorised(invite, customer, startMs, 422, "Session Interval Too Small", callee,
                    Map.of("Min-SE", String.valueOf(tooSmall.minSe())));
            return Optional.empty();
        }
        return Optional.of((SessionTimerRules.UasDecision.Agreed) timer);
    }

    /**
     * The offer after codec policy (IC-CODEC), its SDP null for a late offer; empty after
     * answering the refusal (488 ...).
     */
    private Optional<ReceivedOffer.Accepted> checkedOffer(SipServletRequest invite, Customer customer, long startMs,
                                                          String callee) throws IOException {
        ReceivedOffer checked = ReceivedOffer.of(invite, trunk.identity().domain(), customer.requireSrtp());
        if (checked instanceof ReceivedOffer.Refused no) {
            refuseAuthorised(invite, customer, startMs, no.status(), no.reason(), callee, no.headers());
            return Optional.empty();
        }
        return Optional.of((ReceivedOffer.Accepted) checked);
    }

    /**
     * IC-STIR: A for the customer's own and verified numbers, C for a diverted call with someone
     * else's, B otherwise (AttestationRules); signed once, with one iat, for every carrier of the
     * call that has {@code signing} (the PASSporT names no carrier, and failover takes seconds
     * while a verifier allows 60).
     */
    private StirPlan signature(SipServletRequest invite, Customer customer, IdentifiedCaller caller, String calledNumber,
                               List<Carrier> carriers, ConfigSnapshot config) {
        if (carriers.stream().noneMatch(Carrier::signing)) {
            return StirPlan.NONE;
        }
        boolean diverted = invite.getHeader("Diversion") != null || invite.getHeader("History-Info") != null;
        Optional<Attestation> level = AttestationRules.forOutbound(customer, caller.number(), diverted, config);
        Optional<String> identity = level.flatMap(a -> trunk.stir().identityHeader(a, caller.number().orElseThrow().value(),
                calledNumber, customer.origid()));
        return StirPlan.outbound(level, identity, customer.origid());
    }

    /**
     * Starts the call to {@code carriers} in order, holding the customer's {@code channel}; false
     * when it did not start (the caller gives the channel back).
     */
    private boolean startCall(SipServletRequest invite, Customer customer, String callee, CarrierLegHeaders.Built carrierLeg,
                              SessionDescription offer, List<Carrier> carriers, SessionTimerRules.UasDecision.Agreed customerTimer,
                              boolean emergency, Admission.Admitted admitted, StirPlan stir, ChannelGrant channel)
            throws IOException {
        CallPlan plan = new CallPlan(CallDirection.OUTBOUND, customer, null, callee, carrierLeg.callerNumber(),
                carrierLeg.fromTo(), carrierLeg.headers(), offer,
                carriers.stream().map(c -> CarrierLegHeaders.target(c, callee)).toList(),
                CarrierLegHeaders.values(invite, XTag.HEADER), customerTimer.timer(), customerTimer.sessionExpiresHeader(),
                emergency, stir);
        return SipCall.start(invite, plan, calls, admitted, channel) != null;
    }

    /** How the call path turns down an authorised INVITE: with its status, and a CDR. */
    @FunctionalInterface
    private interface Refusal {
        void send(int status, String reason, String callee) throws IOException;
    }

    /**
     * Answers an authenticated customer's INVITE with an error. Every INVITE that passed
     * authentication leaves one CDR (IC-CDR), refused ones included.
     */
    private void refuseAuthorised(SipServletRequest invite, Customer customer, long startMs, int status, String reason,
                                  String callee, Map<String, String> headers) throws IOException {
        SipServletResponse refusal = invite.createResponse(status, reason);
        if (headers != null) {
            headers.forEach(refusal::setHeader);
        }
        refusal.send();
        calls.ladder().refused(invite, refusal);
        trunk.record(RefusedAttempt.record(invite, CallDirection.OUTBOUND, customer.id(), null, callee, startMs, status, false));
    }

    @Override
    protected void doAck(SipServletRequest ack) throws IOException {
        SipCall call = SipCall.of(ack);
        if (call != null) {
            call.onAck(ack);
        }
    }

    @Override
    protected void doBye(SipServletRequest bye) throws IOException {
        SipCall call = SipCall.of(bye);
        if (call == null) {
            bye.createResponse(481, "Call/Transaction Does Not Exist").send();
        } else {
            call.onBye(bye);
        }
    }

    @Override
    protected void doCancel(SipServletRequest cancel) throws IOException {
        SipCall call = SipCall.of(cancel);
        if (call != null) {
            call.onCancel();
        }
    }

    @Override
    protected void doResponse(SipServletResponse response) throws IOException {
        ResponseHandler handler = ResponseHandler.of(response);
        if (handler != null) {
            calls.ladder().received(response);
            handler.onResponse(response);
        }
    }


}
