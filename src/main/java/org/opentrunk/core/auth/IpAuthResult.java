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
     * Refused outright, without a digest challenge: a wrong or missing tech prefix from a
     * customer's address, which the brute-force guard counts like a failed digest authentication.
     *
     * @param sipStatus    403
     * @param reasonPhrase fixed text for the status line; never contains input or names a customer
     * @param detail       for the log: which customer, which prefix
     * @param miss         what was tried from where, for the guard's counting decision
     */
    record Refused(int sipStatus, String reasonPhrase, String detail, PrefixMiss miss) implements IpAuthResult {
        public Refused {
            Objects.requireNonNull(reasonPhrase, "reasonPhrase");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(miss, "miss");
        }
    }

    /**
     * A tech prefix that did not fit the address it came from.
     *
     * @param address            the source address, normalised (IPv4 dotted quad)
     * @param customersOfAddress how many customers list that address (more than one: IC-SHARED-IP)
     * @param techPrefix         the prefix tried; empty when the Request-URI carried none
     */
    record PrefixMiss(String address, int customersOfAddress, Optional<String> techPrefix) {
        public PrefixMiss {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(techPrefix, "techPrefix");
        }

        /** Several customers send from this address (a hosted PBX platform). */
        public boolean sharedAddress() {
            return customersOfAddress > 1;
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
