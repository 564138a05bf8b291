package org.opentrunk.core.auth;

import java.util.Objects;
import java.util.Optional;
import org.opentrunk.core.config.Customer;
import org.opentrunk.core.numbering.NumberParser;
import org.opentrunk.core.numbering.ParseResult;

/** What {@link IpAuthentication#decide} concluded about an initial INVITE. */
public sealed interface IpAuthResult
        permits IpAuthResult.Authenticated, IpAuthResult.NotIpAuthenticated, IpAuthResult.Refused {

    /**
     * The source address and the tech prefix both belong to {@code customer}.
     *
     * @param dialledNumberText the Request-URI user without the prefix, to be parsed as E.164
     */
    record Authenticated(Customer customer, String dialledNumberText) implements IpAuthResult {
        public Authenticated {
            Objects.requireNonNull(customer, "customer");
            Objects.requireNonNull(dialledNumberText, "dialledNumberText");
        }

        /** The dialled number: valid E.164, or the 484/404 to answer (IC-E164, IC-RURI). */
        public ParseResult dialledNumber() {
            return NumberParser.parse(dialledNumberText);
        }
    }

    /**
     * Not an IP-authenticated call; the caller goes on to digest authentication (IC-DIGEST).
     *
     * @param reason       why
     * @param addressOwner the customer whose address the request came from, if any; it does not
     *                     authenticate the request, it only helps the log
     */
    record NotIpAuthenticated(Reason reason, Optional<Customer> addressOwner) implements IpAuthResult {
        public NotIpAuthenticated {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(addressOwner, "addressOwner");
        }
    }

    /**
     * Refused outright, without a digest challenge.
     *
     * @param sipStatus    403
     * @param reasonPhrase fixed text for the status line; never contains input or names a customer
     * @param detail       for the log: which customer, which prefix
     */
    record Refused(int sipStatus, String reasonPhrase, String detail) implements IpAuthResult {
        public Refused {
            Objects.requireNonNull(reasonPhrase, "reasonPhrase");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Why a request is not IP-authenticated. */
    enum Reason {
        /** The source address is no customer's. */
        UNKNOWN_SOURCE,
        /** The source address is a customer's, but the Request-URI carries no tech prefix, and the customer has digest credentials. */
        NO_TECH_PREFIX
    }
}
