package org.opentrunk.core.registrar;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opentrunk.core.address.SipUri;

/**
 * The rules of RFC 3261 section 10.3, steps 6 to 8, as one pure function: a REGISTER and the
 * customer's bindings in, the outcome out. All or nothing: when any contact is refused, no
 * binding changes.
 *
 * <p>Order of checks, as in the RFC: the wildcard rules, then the expiration intervals (423), then
 * the Call-ID/CSeq order of every binding the request touches, then the per-customer limit.
 */
public final class Registrar {

    private static final long MS_PER_SECOND = 1000;

    private Registrar() {
    }

    /**
     * Decides a REGISTER.
     *
     * @param request  the REGISTER, read
     * @param existing the customer's bindings as stored; expired ones are treated as absent
     * @param limits   the registrar's bounds
     * @throws IllegalArgumentException if {@code existing} holds another customer's binding
     */
    public static RegisterOutcome decide(RegisterRequest request, List<Binding> existing, RegistrarLimits limits) {
        long customerId = request.customerId();
        long now = request.nowMs();
        if (existing.stream().anyMatch(b -> b.customerId() != customerId)) {
            throw new IllegalArgumentException("existing bindings must all be customer " + customerId + "'s");
        }
        List<Binding> live = existing.stream().filter(b -> !b.isExpired(now)).toList();
        if (request.isFetch()) {
            return new RegisterOutcome.Fetch(customerId, live);
        }
        if (request.contacts().stream().anyMatch(ContactEntry.Wildcard.class::isInstance)) {
            return removeAll(request, live);
        }
        List<RequestedContact> contacts = request.contacts().stream().map(RequestedContact.class::cast).toList();
        long[] grantedSeconds = new long[contacts.size()];
        for (int i = 0; i < contacts.size(); i++) {
            long asked = contacts.get(i).expiresSeconds().orElse(request.expires().orElse(limits.defaultExpiresSeconds()));
            if (asked != 0 && asked < limits.minExpiresSeconds()) {
                return new RegisterOutcome.IntervalTooBrief(limits.minExpiresSeconds());
            }
            grantedSeconds[i] = Math.min(asked, limits.maxExpiresSeconds());
        }
        for (RequestedContact contact : contacts) {
            Optional<Binding> stored = find(live, contact.uri()).map(live::get);
            if (stored.isPresent() && isOutOfOrder(request, stored.get())) {
                return outOfOrder(request, stored.get());
            }
        }
        // The order check was against what was stored; a contact listed twice in this request
        // simply takes the later entry's values.
        List<Binding> next = new ArrayList<>(live);
        for (int i = 0; i < contacts.size(); i++) {
            RequestedContact contact = contacts.get(i);
            int index = find(next, contact.uri()).orElse(-1);
            if (grantedSeconds[i] == 0) {
                if (index >= 0) {
                    next.remove(index);
                }
            } else {
                Binding binding = new Binding(customerId, contact.uriText(), request.sourceAddress(), request.sourcePort(),
                        request.transport(), now + grantedSeconds[i] * MS_PER_SECOND, request.callId(), request.cseq(),
                        contact.q(), request.userAgent(), request.path());
                if (index >= 0) {
                    next.set(index, binding);
                } else {
                    next.add(binding);
                }
            }
        }
        // A customer above its limit (the limit was lowered) may still refresh and remove; only growth is refused.
        if (next.size() > limits.maxBindingsPerCustomer() && next.size() > live.size()) {
            return new RegisterOutcome.Rejected(RegisterProblem.TOO_MANY_BINDINGS, "customer " + customerId
                    + " would have " + next.size() + " bindings; at most " + limits.maxBindingsPerCustomer() + " are allowed");
        }
        return new RegisterOutcome.Updated(customerId, next);
    }

    /** {@code Contact: *}: alone, with {@code Expires: 0}, and not older than any binding it removes. */
    private static RegisterOutcome removeAll(RegisterRequest request, List<Binding> live) {
        long customerId = request.customerId();
        if (request.contacts().size() > 1) {
            return new RegisterOutcome.Rejected(RegisterProblem.WILDCARD_WITH_OTHER_CONTACTS,
                    "REGISTER of customer " + customerId + " has '*' and " + (request.contacts().size() - 1) + " other contact(s)");
        }
        if (request.expires().isEmpty() || request.expires().getAsLong() != 0) {
            return new RegisterOutcome.Rejected(RegisterProblem.WILDCARD_WITHOUT_EXPIRES_ZERO,
                    "REGISTER of customer " + customerId + " has '*' with "
                            + (request.expires().isEmpty() ? "no valid Expires" : "Expires: " + request.expires().getAsLong()));
        }
        for (Binding binding : live) {
            if (isOutOfOrder(request, binding)) {
                return outOfOrder(request, binding);
            }
        }
        return new RegisterOutcome.Updated(customerId, List.of());
    }

    /** Step 7: the same Call-ID with a CSeq not above the stored one is older than what is stored. */
    private static boolean isOutOfOrder(RegisterRequest request, Binding stored) {
        return stored.callId().equals(request.callId()) && request.cseq() <= stored.cseq();
    }

    private static RegisterOutcome outOfOrder(RegisterRequest request, Binding stored) {
        return new RegisterOutcome.Rejected(RegisterProblem.CSEQ_OUT_OF_ORDER, "REGISTER of customer "
                + request.customerId() + " has CSeq " + request.cseq() + " but contact "
                + ContactHeaderParser.quote(stored.contactUri()) + " was bound by the same Call-ID with CSeq " + stored.cseq());
    }

    private static Optional<Integer> find(List<Binding> bindings, SipUri uri) {
        for (int i = 0; i < bindings.size(); i++) {
            if (ContactUris.sameBinding(bindings.get(i).uri(), uri)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }
}
