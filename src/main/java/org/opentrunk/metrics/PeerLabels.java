package org.opentrunk.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * The two labels that name a carrier or a customer on a series: its id ({@code carrier_id},
 * {@code customer_id}), which never changes, and a name-safe form of its name ({@code carrier},
 * {@code customer}) for people reading a dashboard. Queries should group by the id: a renamed
 * carrier's new series has a new name label beside the old one.
 *
 * <p>Bounded: Prometheus keeps every label combination as a series, so at most
 * {@link #MAX_PEERS} ids of one kind get labels of their own; the rest share the id
 * {@value #OVERFLOW} (a warning in the operations guide says to raise the constant if a trunk has
 * more). Thread-safe.
 */
public final class PeerLabels {

    /** Ids of one kind (carriers or customers) with series of their own. */
    public static final int MAX_PEERS = 5_000;
    /** Longest name label; longer names are cut. */
    public static final int MAX_NAME_LENGTH = 64;
    /** Id and name label of the peers past {@link #MAX_PEERS}. */
    public static final String OVERFLOW = "other";
    /** Name label of an id the configuration no longer knows (deleted since the call). */
    public static final String UNKNOWN_NAME = "unknown";

    /** The labels of one peer. */
    public record Labels(String id, String name) {
    }

    private final Map<Long, Boolean> admitted = new ConcurrentHashMap<>();
    private final LongFunction<String> names;

    /** @param names the peer's current name by id, null when there is none */
    public PeerLabels(LongFunction<String> names) {
        this.names = names;
    }

    /** The labels of {@code id} now. */
    public Labels of(long id) {
        if (!admitted.containsKey(id)) {
            if (admitted.size() >= MAX_PEERS) {
                return new Labels(OVERFLOW, OVERFLOW);
            }
            admitted.putIfAbsent(id, Boolean.TRUE);
        }
        String name = names.apply(id);
        return new Labels(Long.toString(id), name == null ? UNKNOWN_NAME : safeName(name));
    }

    /**
     * {@code name} as a label value that needs no escaping anywhere it is pasted (PromQL, Grafana
     * variables, shell): letters and digits of ASCII, {@code _ . -}; anything else, spaces
     * included, becomes {@code _}. Empty names become {@value #UNKNOWN_NAME}.
     */
    public static String safeName(String name) {
        StringBuilder out = new StringBuilder(Math.min(name.length(), MAX_NAME_LENGTH));
        for (int i = 0; i < name.length() && out.length() < MAX_NAME_LENGTH; i++) {
            char c = name.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-';
            out.append(plain ? c : '_');
        }
        return out.length() == 0 ? UNKNOWN_NAME : out.toString();
    }
}
