package org.opentrunk.core.registrar;

import java.util.List;

/**
 * The Contact header values of a REGISTER's 200 OK: every current binding with the seconds it has
 * left (RFC 3261 section 10.3 step 8), {@code <sip:100@192.0.2.5:5060>;expires=3600}. The UA reads
 * its own contact's expires to know when to refresh, so the granted (possibly shortened) value
 * must be there.
 */
public final class ContactHeaderValues {

    private ContactHeaderValues() {
    }

    /** One value per binding, in order; none for no bindings (the 200 OK then has no Contact). */
    public static List<String> of(List<Binding> current, long nowMs) {
        return current.stream().map(b -> of(b, nowMs)).toList();
    }

    /** {@code <uri>;expires=N}, with {@code ;q=} when the contact gave one. */
    public static String of(Binding binding, long nowMs) {
        StringBuilder value = new StringBuilder("<").append(binding.contactUri()).append(">;expires=")
                .append(binding.remainingSeconds(nowMs));
        binding.q().ifPresent(q -> value.append(";q=").append(q.render()));
        return value.toString();
    }
}
