package org.opentrunk.sip;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.opentrunk.core.limits.AuthFailureGuard;
import org.opentrunk.core.securitylog.SecurityEvent;
import org.opentrunk.core.securitylog.SecurityLog;
import org.opentrunk.core.text.UntrustedText;
import java.util.logging.Logger;
import javax.servlet.sip.SipServletRequest;
import javax.servlet.sip.SipServletResponse;
import org.opentrunk.metrics.RefusalReason;
import org.opentrunk.core.auth.digest.DigestAlgorithm;
import org.opentrunk.core.auth.digest.DigestChallenge;
import org.opentrunk.core.auth.digest.DigestCredentials;
import org.opentrunk.core.auth.digest.DigestOutcome;
import org.opentrunk.core.auth.digest.DigestVerifier;
import org.opentrunk.core.auth.digest.Ha1;
import org.opentrunk.core.auth.digest.MalformedCredentialsException;
import org.opentrunk.core.auth.digest.Nonces;
import org.opentrunk.core.config.ConfigSnapshot;
import org.opentrunk.core.config.Customer;
import org.opentrunk.core.config.DigestCredential;
import org.opentrunk.core.timer.SteadyClock;

/**
 * SIP digest authentication of customers (IC-DIGEST, RFC 3261 §22, RFC 8760): a request without
 * credentials is challenged (407 for INVITE, 401 for REGISTER), one header per algorithm offered
 * (OT_DIGEST_ALGORITHMS, MD5 alone by default); credentials that do not verify get 403, the same
 * for an unknown user as for a wrong password; an expired nonce, or one issued before this
 * process started, with the right password gets a new challenge with stale=true and is not
 * counted as a failure.
 *
 * <p>The algorithms are chosen in one place ({@link #offerFor}): a customer's own
 * {@code digestAlgorithms} when the request names one, else the server-wide list.
 */
final class DigestGate {

    private static final Logger LOG = Logger.getLogger(DigestGate.class.getName());

    /** Retry-After of the 503 for a sender whose share of the replay memory is full: a nonce lives 300 s, many leave sooner. */
    static final int REPLAY_FULL_RETRY_AFTER_SECONDS = 10;

    private final Nonces nonces;
    private final DigestVerifier verifier;
    private final String realm;
    private final AuthFailureGuard failures;
    private final List<DigestAlgorithm> serverOffer;
    /** Counts an INVITE this gate refused (not a challenge), by why; the customer is never known then. */
    private final java.util.function.BiConsumer<Long, RefusalReason> refusedInvites;

    /**
     * @param offered        the algorithms challenges offer, in order of preference (OT_DIGEST_ALGORITHMS)
     * @param refusedInvites told of each INVITE refused (blocked address, failed authentication), for /metrics
     */
    DigestGate(Nonces nonces, String realm, AuthFailureGuard failures, List<DigestAlgorithm> offered,
               java.util.function.BiConsumer<Long, RefusalReason> refusedInvites) {
        this.refusedInvites = refusedInvites;
        this.nonces = nonces;
        this.verifier = new DigestVerifier(nonces);
        this.realm = realm;
        this.failures = failures;
        this.serverOffer = List.copyOf(offered);
    }

    /**
     * The authenticated customer, or empty when this method has already answered the request
     * (challenge, 403 or 400).
     */
    Optional<Customer> authenticate(SipServletRequest request, ConfigSnapshot config) throws IOException {
        String source = RequestSources.of(request).address();
        if (failures.isBlocked(source, SteadyClock.millis())) {
            // Brute force: the same 403 as a wrong password, without looking at the credentials.
            countRefusal(request, RefusalReason.BLOCKED_ADDRESS);
            request.createResponse(403, "Forbidden").send();
            return Optional.empty();
        }
        boolean register = "REGISTER".equals(request.getMethod());
        String credentialsHeader = register ? "Authorization" : "Proxy-Authorization";
        List<String> presented = headerValues(request, credentialsHeader);
        String ours = presented.stream().filter(v -> v.contains("realm=\"" + realm + "\"")).findFirst()
                .orElse(presented.isEmpty() ? null : presented.get(0));
        if (ours == null) {
            challenge(request, false, offerFor(namedCustomer(request, config)));
            return Optional.empty();
        }
        DigestCredentials credentials;
        try {
            credentials = DigestCredentials.parse(ours);
        } catch (MalformedCredentialsException e) {
            countRefusal(request, RefusalReason.AUTH);
            request.createResponse(400, "Bad Request (malformed credentials)").send();
            return Optional.empty();
        }
        Optional<Customer> customer = config.customerByUsername(credentials.username());
        List<DigestAlgorithm> offered = offerFor(customer);
        // The client answered one of OpenTrunk's challenges, perhaps one made before it was known
        // who calls (the server-wide list): either list's algorithms are verified. An algorithm
        // OpenTrunk offers nobody is answered like a wrong password.
        Optional<Ha1> ha1 = customer.flatMap(Customer::digest).flatMap(d -> credentials.algorithm()
                .filter(a -> offered.contains(a) || serverOffer.contains(a)).map(a -> storedHa1(d, a)));
        DigestOutcome outcome = verifier.verify(credentials, request.getMethod(), ha1, realm, source);
        if (outcome.isOverload()) {
            // Right password, but no replay memory left for this sender (or at all): overload, so
            // 503 and not a failure; counting it would block a PBX for registering too often.
            SecurityLog.event(SecurityEvent.AUTH_OVERLOAD, source, "method", request.getMethod(),
                    "user", SecurityLog.quoted(credentials.username()), "reason", token(outcome));
            SipServletResponse busy = request.createResponse(503, "Service Unavailable (Too Many Authentications)");
            busy.setHeader("Retry-After", Integer.toString(REPLAY_FULL_RETRY_AFTER_SECONDS));
            busy.send();
            return Optional.empty();
        }
        switch (outcome.verdict()) {
            case ACCEPTED:
                if (!credentials.algorithm().map(offered::contains).orElse(false)) {
                    // Right password, in an algorithm this customer is not to use: challenged
                    // again with its own list, and not counted (only the password's owner gets here).
                    challenge(request, false, offered);
                    return Optional.empty();
                }
                return customer;
            case STALE_NONCE:
                // Right password, old nonce (or one from before a restart): not a failure.
                challenge(request, true, offered);
                return Optional.empty();
            default:
                LOG.fine(() -> "Digest authentication failed from " + source + ": " + outcome);
                SecurityLog.event(SecurityEvent.AUTH_FAILURE, source, "method", request.getMethod(),
                        "user", SecurityLog.quoted(credentials.username()), "reason", token(outcome));
                if (failures.recordFailure(source, SteadyClock.millis())) {
                    SecurityLog.event(SecurityEvent.BLOCK, source, "cause", "digest", "failures",
                            Integer.toString(failures.maxFailures()), "seconds", Long.toString(failures.blockSeconds()));
                    LOG.warning(() -> "Blocked " + source + " after " + failures.maxFailures()
                            + " failed digest authentications (last as " + UntrustedText.quote(credentials.username(), 64)
                            + "); see /api/v1/security/blocks");
                }
                countRefusal(request, RefusalReason.AUTH);
                request.createResponse(403, "Forbidden").send();
                return Optional.empty();
        }
    }

    private void countRefusal(SipServletRequest request, RefusalReason reason) {
        if ("INVITE".equals(request.getMethod())) {
            refusedInvites.accept(null, reason);
        }
    }

    /** The outcome as the security log writes it: {@code wrong_response}, {@code no_such_user} ... */
    private static String token(DigestOutcome outcome) {
        return outcome.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static Ha1 storedHa1(DigestCredential stored, DigestAlgorithm algorithm) {
        return new Ha1(algorithm, algorithm == DigestAlgorithm.MD5 ? stored.ha1Md5() : stored.ha1Sha256());
    }

    /**
     * The algorithms to offer and accept, in order of preference: the customer's own list
     * ({@code digestAlgorithms}, e.g. SHA-256 for a customer whose PBXs all take it), else the
     * server-wide one; {@code customer} is empty while the request names no one.
     */
    private List<DigestAlgorithm> offerFor(Optional<Customer> customer) {
        return customer.flatMap(Customer::digest).map(DigestCredential::algorithms).filter(list -> !list.isEmpty())
                .orElse(serverOffer);
    }

    /**
     * Whom a request without credentials names, for its first challenge: a REGISTER's To user (its
     * address of record), else the From user, when it is a customer's digest username. Only which
     * algorithms are offered depends on it; a wrong guess costs one more challenge (see
     * {@link #authenticate}). Not the source address: on an address shared by several customers
     * (IC-SHARED-IP) one tenant's list would be every tenant's.
     */
    private static Optional<Customer> namedCustomer(SipServletRequest request, ConfigSnapshot config) {
        List<javax.servlet.sip.Address> named = "REGISTER".equals(request.getMethod())
                ? List.of(request.getTo(), request.getFrom()) : List.of(request.getFrom());
        for (javax.servlet.sip.Address address : named) {
            if (address != null && address.getURI() instanceof javax.servlet.sip.SipURI uri && uri.getUser() != null) {
                Optional<Customer> customer = config.customerByUsername(uri.getUser());
                if (customer.isPresent()) {
                    return customer;
                }
            }
        }
        return Optional.empty();
    }

    private void challenge(SipServletRequest request, boolean stale, List<DigestAlgorithm> offered) throws IOException {
        boolean register = "REGISTER".equals(request.getMethod());
        SipServletResponse response = register
                ? request.createResponse(401, "Unauthorized")
                : request.createResponse(407, "Proxy Authentication Required");
        String header = register ? "WWW-Authenticate" : "Proxy-Authenticate";
        for (String value : DigestChallenge.issue(nonces, realm, stale).headerValues(offered)) {
            response.addHeader(header, value);
        }
        response.send();
    }

    private static List<String> headerValues(SipServletRequest request, String name) {
        List<String> values = new java.util.ArrayList<>();
        request.getHeaders(name).forEachRemaining(values::add);
        return values;
    }
}
