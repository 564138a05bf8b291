package org.opentrunk.core.callerid;

import java.util.Optional;
import org.opentrunk.core.config.CallerIdPolicy;
import org.opentrunk.core.config.ConfigSnapshot;
import org.opentrunk.core.config.Customer;
import org.opentrunk.core.config.DidNumber;
import org.opentrunk.core.numbering.E164Number;

/**
 * Whose caller ID it is (IC-CALLER-OWNER): a number belongs to a customer when it is one of its
 * provisioned numbers, or one of its verified numbers (numbers it proved it holds elsewhere, e.g.
 * its main line at another operator). The stored CNAM name goes out only with the calling
 * customer's own numbers, so customer A cannot present customer B's number with B's name
 * (IC-CNAM-OUT); under {@link CallerIdPolicy#OWN} nothing else may be presented at all. The
 * same facts will decide STIR/SHAKEN attestation A versus B.
 */
public final class CallerOwnership {

    private CallerOwnership() {
    }

    /** True when {@code number} is one of {@code customer}'s provisioned numbers. */
    public static boolean isOwnNumber(Customer customer, E164Number number, ConfigSnapshot config) {
        return config.number(number.value()).map(did -> did.customerId() == customer.id()).orElse(false);
    }

    /** True when {@code number} is the customer's own or one of its verified numbers. */
    public static boolean belongsTo(Customer customer, E164Number number, ConfigSnapshot config) {
        return customer.verifiedNumbers().contains(number.value()) || isOwnNumber(customer, number, config);
    }

    /**
     * The stored CNAM name to present with {@code caller}'s number: only a name stored on one of
     * the calling customer's own numbers.
     */
    public static Optional<String> storedName(Customer customer, Optional<E164Number> caller, ConfigSnapshot config) {
        return caller.flatMap(n -> config.number(n.value()))
                .filter(did -> did.customerId() == customer.id())
                .flatMap(DidNumber::cnamName);
    }

    /**
     * A number the customer holds, to present instead of one it may not (an emergency call, which
     * is never refused for its caller ID but must not go out with somebody else's number as its
     * callback): its first own number, else its first verified number; empty when it has neither.
     */
    public static Optional<E164Number> callbackNumber(Customer customer, ConfigSnapshot config) {
        Optional<String> number = config.numbersOf(customer.id()).stream().findFirst()
                .or(() -> customer.verifiedNumbers().stream().sorted().findFirst());
        return number.flatMap(n -> org.opentrunk.core.numbering.NumberParser.parse(n).number());
    }

    /**
     * Whether the customer may present this caller: always under {@link CallerIdPolicy#ANY};
     * under {@link CallerIdPolicy#OWN} only a number that {@link #belongsTo} it (a call with no
     * valid caller number at all is not allowed either: it could be anybody's).
     */
    public static boolean mayPresent(Customer customer, Optional<E164Number> caller, ConfigSnapshot config) {
        return customer.callerIdPolicy() == CallerIdPolicy.ANY
                || caller.map(n -> belongsTo(customer, n, config)).orElse(false);
    }
}
