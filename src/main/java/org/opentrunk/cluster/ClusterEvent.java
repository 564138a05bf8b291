package org.opentrunk.cluster;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A change one node made that the others must apply at once (issue 20), as it travels between
 * them: {@code origin|kind|argument...}. Arguments are ids, addresses and hex, never free text, so
 * the separator cannot occur in them; anything else is not an event.
 *
 * @param origin the node that made the change (it ignores its own notices)
 */
public record ClusterEvent(String origin, Kind kind, List<String> arguments) {

    /** What changed, and how many arguments say it. */
    public enum Kind {
        /** Provisioning (customers, carriers, numbers, blocked prefixes) was committed. */
        CONFIG(0),
        /** A customer's registrations were stored: customer id. */
        BINDINGS(1),
        /** An address was blocked: address, milliseconds left, failures. */
        BLOCKED(3),
        /** An operator lifted a block: address. */
        UNBLOCKED(1),
        /** The fraud guard suspended a customer's calls to a country: customer id, country code, limit per minute. */
        SUSPENDED(3),
        /** An operator cleared a suspension: customer id, country code. */
        SUSPENSION_CLEARED(2),
        /** A node (re)started with a new digest run id: run id in hex. */
        NONCE_RUN(1);

        private final int arity;

        Kind(int arity) {
            this.arity = arity;
        }
    }

    private static final String SEPARATOR = "|";
    private static final Pattern ARGUMENT = Pattern.compile("[A-Za-z0-9._:\\-\\[\\]]{1,100}");
    /** Longest notice read; longer ones are not ours. */
    static final int MAX_LENGTH = 512;

    public ClusterEvent {
        arguments = List.copyOf(arguments);
        if (arguments.size() != kind.arity) {
            throw new IllegalArgumentException(kind + " takes " + kind.arity + " arguments, got " + arguments.size());
        }
        for (String argument : arguments) {
            if (!ARGUMENT.matcher(argument).matches()) {
                throw new IllegalArgumentException("not an event argument: " + argument);
            }
        }
        if (!ARGUMENT.matcher(origin).matches()) {
            throw new IllegalArgumentException("not a node id: " + origin);
        }
    }

    public static ClusterEvent of(String origin, Kind kind, Object... arguments) {
        return new ClusterEvent(origin, kind, java.util.Arrays.stream(arguments).map(String::valueOf).toList());
    }

    /** The notice's text. */
    public String format() {
        StringBuilder text = new StringBuilder(origin).append(SEPARATOR).append(kind.name());
        arguments.forEach(a -> text.append(SEPARATOR).append(a));
        return text.toString();
    }

    /** The event a notice carries; empty for anything malformed (never throws). */
    public static Optional<ClusterEvent> parse(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String[] parts = text.split(Pattern.quote(SEPARATOR), -1);
        if (parts.length < 2) {
            return Optional.empty();
        }
        try {
            Kind kind = Kind.valueOf(parts[1]);
            return Optional.of(new ClusterEvent(parts[0], kind, List.of(parts).subList(2, parts.length)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String argument(int index) {
        return arguments.get(index);
    }

    public long longArgument(int index) {
        return Long.parseLong(arguments.get(index));
    }
}
