package org.opentrunk.sip;

import org.opentrunk.call.CallPlan;
import org.opentrunk.call.StirPlan;
import org.opentrunk.call.CallTarget;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.servlet.sip.SipFactory;
import javax.servlet.sip.SipServletRequest;
import javax.servlet.sip.SipServletResponse;
import javax.servlet.sip.SipURI;
import javax.servlet.sip.TimerService;
import org.opentrunk.core.callerid.CallerIdentity;
import org.opentrunk.core.callerid.IdentifiedCaller;
import org.opentrunk.core.callerid.IdentityHeaders;
import org.opentrunk.core.callerid.OutgoingIdentity;
import org.opentrunk.core.cdr.CallDirection;
import org.opentrunk.core.cnam.CnamLookup;
import org.opentrunk.core.config.Carrier;
import org.opentrunk.core.config.ConfigSnapshot;
import org.opentrunk.core.config.Customer;
import org.opentrunk.core.config.DidNumber;
import org.opentrunk.core.headers.HeaderPassThrough;
import org.opentrunk.core.headers.PassDirection;
import org.opentrunk.core.headers.RewrittenHeader;
import org.opentrunk.core.headers.XTag;
import org.opentrunk.core.limits.Admission;
import org.opentrunk.core.limits.CallAdmission;
import org.opentrunk.core.limits.ChannelGrant;
import org.opentrunk.core.limits.CarrierInviteGuard;
import org.opentrunk.core.numbering.NumberParser;
import org.opentrunk.core.numbering.ParseResult;
import org.opentrunk.core.sdp.SessionDescription;
import org.opentrunk.core.timer.SessionTimerRules;
import org.opentrunk.core.callerid.Presentation;
import org.opentrunk.core.stir.Verification;
import org.opentrunk.core.stir.Verstat;
import org.opentrunk.core.stir.VerstatParameter;

/**
 * The inbound call path: an INVITE from a carrier's address to one of the customers' numbers
 * (DIDs), delivered to the number's routes in priority order (IC-ROUTE). Read it top-down in
 * {@link #handle}; from step 9 on the call is the same {@link Call} as an outbound one.
 */
final class InboundInvite {

    /** The per-carrier summaries of INVITEs to unknown numbers (at most one line a minute per carrier). */
    private static final java.util.logging.Logger UNKNOWN_NUMBERS_LOG = java.util.logging.Logger.getLogger(InboundInvite.class.getName());

    private final Trunk trunk;
    private final CallServices calls;
    private final SipFactory sipFactory;
    private final TimerService timers;
    private final RouteTargets routes;

    InboundInvite(Trunk trunk, CallServices calls, RouteTargets routes) {
        this.trunk = trunk;
        this.calls = calls;
        this.sipFactory = calls.sipFactory();
        this.timers = calls.timers();
        this.routes = routes;
    }

    /**
     * @param admission this INVITE's place in the overload guard: the call gives it back when
     *                  answered or failed; when no call starts, whoever answered the INVITE does
     * @return true when the INVITE goes on (or went on) in a continuation, which then owns the
     *         admission; false when it was answered here and the caller gives the admission back
     */
    boolean handle(SipServletRequest invite, Carrier carrier, ConfigSnapshot config, Admission.Admitted admission)
            throws IOException {
        long startMs = System.currentTimeMillis();
        Refusal refuse = (status, reason, customer, callee, headers) -> {
            SipServletResponse response = invite.createResponse(status, reason);
            headers.forEach(response::setHeader);
            response.send();
            calls.ladder().refused(invite, response);
            record(invite, carrier, customer, callee, startMs, status);
        };
        // Every refusal before step 4 returns false: answered here.

        // 0. The carrier's inbound policy (issue 25, spoofed carrier INVITEs): over UDP anyone can
        //    claim a carrier's address, so a carrier may be taken over TCP/TLS only, and at a rate.
        //    Neither refusal leaves a CDR (a spoofer must not fill the journal) nor an event
        //    fail2ban acts on (it would ban the real carrier): counters and a flood_refused line.
        CarrierInviteGuard.Decision policy = trunk.carrierInvites().admit(carrier.id(), carrier.inbound(),
                RequestSources.of(invite).transport().name(), System.nanoTime()); // the sender's, also behind a front
        if (policy != CarrierInviteGuard.Decision.ACCEPTED) {
            refusedByPolicy(invite, carrier, policy);
            return false;
        }

        // 1. The called number: the Request-URI's user, E.164 with or without "+" (IC-E164), or in
        //    the national format of the carrier's country (IC-COUNTRY).
        String user = invite.getRequestURI() instanceof SipURI uri ? uri.getUser() : null;
        ParseResult parsed = user == null ? null : NumberParser.parse(user, carrier.country());
        Optional<DidNumber> number = parsed instanceof ParseResult.Valid
                ? config.number(parsed.number().orElseThrow().value()) : Optional.empty();
        if (number.isEmpty()) {
            trunk.metrics().refused(null, org.opentrunk.metrics.RefusalReason.UNKNOWN_NUMBER);
            if (carrier.inbound().summariseUnknownNumbers()) {
                invite.createResponse(404, "Not Found").send(); // counted, no CDR (the carrier's choice)
                trunk.carrierInvites().unknownNumberSummarised(carrier.id(), System.nanoTime()).ifPresent(count ->
                        UNKNOWN_NUMBERS_LOG.info(() -> "Carrier " + carrier.name() + " (id " + carrier.id() + "): " + count
                                + " INVITE(s) to numbers not on this trunk since the last such line, refused 404 without CDRs"));
                return false;
            }
            refuse.send(404, "Not Found", null, parsed == null ? null : parsed.number().map(n -> n.value()).orElse(null), Map.of());
            return false;
        }
        DidNumber did = number.get();
        Optional<Customer> owner = config.customer(did.customerId());
        if (owner.isEmpty()) {
            refuse.send(404, "Not Found", null, did.e164(), Map.of());
            return false;
        }
        Customer customer = owner.get();
        if (did.routes().isEmpty()) {
            refuse.send(480, "Temporarily Unavailable (No Route)", customer, did.e164(), Map.of());
            return false;
        }

        // 2. Extensions and the carrier leg's session timer (IC-TIMER, RFC 4028: 422 below Min-SE).
        Optional<String> unsupported = InviteChecks.unsupportedRequiredExtensions(invite);
        if (unsupported.isPresent()) {
            refuse.send(420, "Bad Extension", customer, did.e164(), Map.of("Unsupported", unsupported.get()));
            return false;
        }
        SessionTimerRules.UasDecision timer = SessionTimerRules.asUas(invite.getHeader("Session-Expires"),
                InviteChecks.listsTimer(invite), trunk.settings().sessionMinSe(), trunk.settings().sessionExpires());
        if (timer instanceof SessionTimerRules.UasDecision.TooSmall tooSmall) {
            refuse.send(422, "Session Interval Too Small", customer, did.e164(), Map.of("Min-SE", String.valueOf(tooSmall.minSe())));
            return false;
        }
        SessionTimerRules.UasDecision.Agreed carrierTimer = (SessionTimerRules.UasDecision.Agreed) timer;

        // 3. The offer: allowed codecs only (IC-CODEC); media addresses untouched (IC-DIRECT).
        ReceivedOffer checked = ReceivedOffer.of(invite, trunk.identity().domain(), false);
        if (checked instanceof ReceivedOffer.Refused no) {
            refuse.send(no.status(), no.reason(), customer, did.e164(), no.headers());
            return false;
        }
        SessionDescription offer = ((ReceivedOffer.Accepted) checked).sdp();

        // 4. Who calls (IC-CLI-IN), with the caller's name when the number asks for it (IC-CNAM-IN),
        //    and where to: the number's routes, each resolved to its targets (IC-ROUTE). The CNAM
        //    and DNS lookups run at once, elsewhere; the call goes on when both are in or their
        //    budgets are spent, and no SIP thread waits meanwhile (SessionResume).
        IdentifiedCaller caller = CallerIdentity.identify(new IdentityHeaders(
                CarrierLegHeaders.values(invite, "P-Asserted-Identity"), CarrierLegHeaders.values(invite, "Remote-Party-ID"),
                Optional.ofNullable(invite.getHeader("From")), CarrierLegHeaders.values(invite, "Privacy")),
                carrier.country());
        CompletableFuture<Optional<String>> name = did.cnamLookup() && caller.number().isPresent()
                ? trunk.cnam().lookup(caller.number().get().value(), CnamLookup.MAX_WAIT)
                : CompletableFuture.completedFuture(Optional.empty());
        CompletableFuture<List<CallTarget>> targets = routes.resolve(did, customer);
        // IC-STIR: the carrier's Identity is verified meanwhile, its certificate fetched (and
        // cached) within StirService.MAX_WAIT, never on this thread.
        List<String> identities = new java.util.ArrayList<>(CarrierLegHeaders.values(invite, "Identity"));
        identities.addAll(CarrierLegHeaders.values(invite, "y")); // its compact form (RFC 8224 section 4), if the container keeps it apart
        CompletableFuture<Verification> verified = trunk.stir().verify(identities,
                caller.number().map(n -> n.value()), did.e164());
        // A channel of the number's customer (maxChannels counts both directions), asked for at the
        // same time: with several nodes the shared counters answer it (issue 20).
        CompletableFuture<ChannelGrant> channel = trunk.callAdmission()
                .acquire(customer.id(), customer.maxChannels(), CallAdmission.NO_RATE_LIMIT).toCompletableFuture();
        Continuation next = new Continuation(invite, carrier, did, customer, caller, carrierTimer, offer, admission, startMs);
        SessionResume.when(CompletableFuture.allOf(name, targets, verified, channel), invite.getApplicationSession(), timers,
                "inbound call " + invite.getCallId(), () -> next.deliver(name, targets, verified, channel.join()),
                () -> next.dropped(channel.join()));
        return true;
    }

    /** What an inbound call knows when its lookups are in; {@link #deliver} takes it from there. */
    private final class Continuation {
        private final SipServletRequest invite;
        private final Carrier carrier;
        private final DidNumber did;
        private final Customer customer;
        private final IdentifiedCaller caller;
        private final SessionTimerRules.UasDecision.Agreed carrierTimer;
        private final SessionDescription offer;
        private final Admission.Admitted admission;
        private final long startMs;
        /** The verification's outcome for the CDR, once the lookups are in. */
        private StirPlan stir = StirPlan.NONE;

        Continuation(SipServletRequest invite, Carrier carrier, DidNumber did, Customer customer, IdentifiedCaller caller,
                     SessionTimerRules.UasDecision.Agreed carrierTimer, SessionDescription offer,
                     Admission.Admitted admission, long startMs) {
            this.invite = invite;
            this.carrier = carrier;
            this.did = did;
            this.customer = customer;
            this.caller = caller;
            this.carrierTimer = carrierTimer;
            this.offer = offer;
            this.admission = admission;
            this.startMs = startMs;
        }

        /** The session ended before the lookups were in (the carrier cancelled): one CDR, the place and channel back. */
        void dropped(ChannelGrant channel) {
            channel.release();
            admission.release();
            record(invite, carrier, customer, did.e164(), startMs, 487);
        }

        /** Steps 5 to 8, on the call's own container thread; the channel is given back unless the call starts. */
        void deliver(CompletableFuture<Optional<String>> nameLookup, CompletableFuture<List<CallTarget>> routeLookup,
                     CompletableFuture<Verification> verifying, ChannelGrant channel) {
            boolean started = false;
            try {
                if (invite.isCommitted()) {
                    // The carrier cancelled while the lookups ran: the container answered 487.
                    dropped(channel);
                    return;
                }
                Optional<String> name = nameLookup.getNow(Optional.empty());
                List<CallTarget> targets = routeLookup.join(); // done, and it never completes exceptionally
                Verification verification = verifying.join(); // done, bounded, never exceptionally
                stir = StirPlan.inbound(verification);
                // 4b. A failed verification never drops a call by itself; the number may ask to
                //     refuse such calls: 608 Rejected (RFC 8688 section 3) or 403 (IC-STIR).
                if (verification.verstat() != Verstat.PASSED && verification.verstat() != Verstat.NO_VALIDATION) {
                    trunk.stirFailureLog().refused("call " + invite.getCallId() + " to " + did.e164() + " from carrier "
                            + carrier.name() + ": " + verification.reason()
                            + (did.stirFailedStatus() != DidNumber.DELIVER_FAILED ? ", refused " + did.stirFailedStatus()
                            : ", delivered marked"), System.nanoTime());
                    if (did.stirFailedStatus() != DidNumber.DELIVER_FAILED) {
                        refuse(did.stirFailedStatus(), did.stirFailedStatus() == 608 ? "Rejected"
                                : "Forbidden (Caller Identity Not Verified)");
                        return;
                    }
                }
                // 5. Any target at all.
                if (targets.isEmpty()) {
                    refuse(480, "Temporarily Unavailable (No Reachable Route)");
                    return;
                }
                // 6. A channel of the number's customer (maxChannels counts both directions).
                if (channel.verdict() == ChannelGrant.Verdict.UNAVAILABLE) {
                    trunk.metrics().refused(customer.id(), org.opentrunk.metrics.RefusalReason.OVERLOAD);
                    refuse(503, "Service Unavailable (Shared State Unreachable)");
                    return;
                }
                if (!channel.admitted()) {
                    trunk.metrics().refused(customer.id(), org.opentrunk.metrics.RefusalReason.CHANNEL_LIMIT);
                    refuse(486, "Busy Here (Channel Limit Reached)");
                    return;
                }
                // 7. The customer leg's headers: identity, and Diversion passing through (IC-DIVERSION).
                OutgoingIdentity identity = caller.toCustomer(trunk.identity().domain(), name);
                // IC-STIR: the verification result on the caller's URIs, as terminating carriers give it
                if (caller.presentation() == Presentation.ALLOWED && caller.number().isPresent()) {
                    identity = new OutgoingIdentity(VerstatParameter.add(identity.from(), verification.verstat()),
                            identity.pAssertedIdentity().map(pai -> VerstatParameter.add(pai, verification.verstat())),
                            identity.privacy());
                }
                Map<String, List<String>> fromTo = Map.of(
                        "From", List.of(identity.from()),
                        "To", List.of("<sip:" + did.e164() + "@" + trunk.identity().domain() + ";user=phone>"));
                Map<String, List<String>> headers = new LinkedHashMap<>();
                identity.pAssertedIdentity().ifPresent(pai -> headers.put("P-Asserted-Identity", List.of(pai)));
                identity.privacy().ifPresent(privacy -> headers.put("Privacy", List.of(privacy)));
                for (String header : HeaderPassThrough.PASSED.get(PassDirection.CARRIER_TO_CUSTOMER)) {
                    List<String> received = CarrierLegHeaders.values(invite, header);
                    if (!received.isEmpty()) {
                        RewrittenHeader rewritten = HeaderPassThrough.rewrite(header, received,
                                PassDirection.CARRIER_TO_CUSTOMER, trunk.identity().domain());
                        if (!rewritten.values().isEmpty()) {
                            headers.put(rewritten.name(), rewritten.values());
                        }
                    }
                }
                // 8. The call, with the same B2BUA machinery as outbound calls (relaying, failover, teardown).
                CallPlan plan = new CallPlan(CallDirection.INBOUND, customer, carrier, did.e164(),
                        caller.number().map(n -> n.value()).orElse(null), fromTo, headers, offer, targets,
                        CarrierLegHeaders.values(invite, XTag.HEADER), carrierTimer.timer(), carrierTimer.sessionExpiresHeader(),
                        false, stir);
                started = SipCall.start(invite, plan, calls, admission, channel) != null;
                if (!started) {
                    admission.release();
                }
            } catch (IOException | RuntimeException e) {
                java.util.logging.Logger.getLogger(InboundInvite.class.getName()).log(java.util.logging.Level.WARNING,
                        "Inbound call " + invite.getCallId() + " failed after its lookups", e);
                if (!invite.isCommitted()) {
                    try {
                        refuse(500, "Server Internal Error");
                    } catch (IOException | RuntimeException ignored) {
                        admission.release();
                    }
                } else {
                    admission.release();
                }
            } finally {
                if (!started) {
                    channel.release();
                }
            }
        }

        private void refuse(int status, String reason) throws IOException {
            try {
                SipServletResponse response = invite.createResponse(status, reason);
                response.send();
                calls.ladder().refused(invite, response);
                record(invite, carrier, customer, did.e164(), startMs, status, stir);
            } finally {
                admission.release();
            }
        }
    }

    /** 403 for the wrong transport, 503 + Retry-After over the rate; counted and in the security log, no CDR. */
    private void refusedByPolicy(SipServletRequest invite, Carrier carrier, CarrierInviteGuard.Decision decision)
            throws IOException {
        SipServletResponse response;
        if (decision == CarrierInviteGuard.Decision.WRONG_TRANSPORT) {
            trunk.metrics().refused(null, org.opentrunk.metrics.RefusalReason.CARRIER_TRANSPORT);
            response = invite.createResponse(403, "Forbidden (TCP or TLS Required)");
        } else {
            trunk.metrics().refused(null, org.opentrunk.metrics.RefusalReason.CARRIER_RATE);
            response = invite.createResponse(503, "Service Unavailable (Carrier INVITE Rate)");
            response.setHeader("Retry-After", String.valueOf(org.opentrunk.core.limits.CallRateLimiter.RETRY_AFTER_SECONDS));
        }
        response.send();
        org.opentrunk.core.securitylog.SecurityLog.floodRefused(RequestSources.of(invite).address(),
                decision == CarrierInviteGuard.Decision.WRONG_TRANSPORT ? "carrier_transport" : "carrier_rate", System.nanoTime());
    }

    /** One CDR for every inbound attempt OpenTrunk turned down itself (IC-CDR). */
    private void record(SipServletRequest invite, Carrier carrier, Customer customer, String callee, long startMs, int status) {
        record(invite, carrier, customer, callee, startMs, status, StirPlan.NONE);
    }

    /** ... with what its Identity's verification found (IC-STIR). */
    private void record(SipServletRequest invite, Carrier carrier, Customer customer, String callee, long startMs, int status,
                        StirPlan stir) {
        trunk.record(RefusedAttempt.builder(invite, CallDirection.INBOUND, customer == null ? null : customer.id(),
                carrier.id(), callee, startMs, status, false)
                .attestation(stir.attestation()).verstat(stir.verstat()).origid(stir.origid()).build());
    }

    @FunctionalInterface
    private interface Refusal {
        void send(int status, String reason, Customer customer, String callee, Map<String, String> headers) throws IOException;
    }
}
