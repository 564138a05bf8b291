package org.opentrunk.core.numbering;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which numbers may hold CNAM storage (IC-CNAM-OUT): not toll-free numbers, not Canadian numbers
 * and not iNums. The refusal sentences are shown as they are to operators, in the API and on the
 * admin page, so each says what the rule is and why it exists.
 */
public final class CnamEligibility {

    public static final String TOLL_FREE_REFUSAL = "toll-free numbers cannot hold CNAM storage:"
            + " the terminating carrier looks up the name of a toll-free caller from its own database,"
            + " not from CNAM storage";

    public static final String CANADIAN_REFUSAL = "Canadian numbers cannot hold CNAM storage:"
            + " in Canada the caller's name is supplied by the carrier that serves the number,"
            + " not looked up in CNAM storage";

    public static final String INUM_REFUSAL = "iNums (+883 510) cannot hold CNAM storage:"
            + " they are global numbers outside any country's numbering plan,"
            + " and no caller-name database covers them";

    /** The refusal for each kind, in the order they are checked. */
    public static final Map<NumberKind, String> REFUSALS;

    static {
        Map<NumberKind, String> refusals = new EnumMap<>(NumberKind.class);
        refusals.put(NumberKind.TOLL_FREE, TOLL_FREE_REFUSAL);
        refusals.put(NumberKind.CANADIAN, CANADIAN_REFUSAL);
        refusals.put(NumberKind.INUM, INUM_REFUSAL);
        REFUSALS = Collections.unmodifiableMap(refusals);
    }

    private CnamEligibility() {
    }

    /** Why {@code number} cannot hold CNAM storage, or empty when it can. */
    public static Optional<String> refusal(E164Number number) {
        Objects.requireNonNull(number, "number");
        for (Map.Entry<NumberKind, String> rule : REFUSALS.entrySet()) {
            if (rule.getKey().matches(number)) {
                return Optional.of(rule.getValue());
            }
        }
        return Optional.empty();
    }

    /** True when {@code number} may hold CNAM storage. */
    public static boolean mayHoldCnam(E164Number number) {
        return refusal(number).isEmpty();
    }
}
