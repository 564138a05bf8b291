package org.opentrunk.core.headers;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The headers that cross OpenTrunk's B2BUA from the received request to the request on the
 * other leg. An allow-list: a header not named here is not copied, whatever it is, because a
 * B2BUA that copies unknown headers copies credentials, topology and dialog state it does not
 * understand ({@link LegSpecificHeader} lists the known dangers and why).
 *
 * <table>
 *   <caption>What crosses, and how</caption>
 *   <tr><th>Header</th><th>Customer to carrier</th><th>Carrier to customer</th><th>Rewritten by</th></tr>
 *   <tr><td>{@code Diversion}</td><td>yes</td><td>yes</td><td>{@link Diversion} (IC-DIVERSION)</td></tr>
 *   <tr><td>{@code P-Charge-Info}</td><td>yes</td><td>no</td><td>{@link PChargeInfo} (IC-CHARGE)</td></tr>
 * </table>
 *
 * <p>Originating line and jurisdiction information (IC-OLI) has no header of its own: it travels
 * as {@code oli}/{@code isup-oli}/{@code ss7-oli} and {@code jip} parameters of the identity
 * headers, which OpenTrunk rebuilds, so {@code CallerIdentity} carries them across in both
 * directions (see {@link org.opentrunk.core.callerid.LineInfo} for where they are read and
 * written). {@code From}, {@code P-Asserted-Identity}, {@code Remote-Party-ID} and {@code Privacy}
 * are rebuilt there too, never copied; {@code X-Tag} goes to the CDR ({@link XTag}).
 */
public final class HeaderPassThrough {

    /** The headers copied (after rewriting) in each direction. */
    public static final Map<PassDirection, Set<String>> PASSED;

    static {
        Map<PassDirection, Set<String>> passed = new EnumMap<>(PassDirection.class);
        passed.put(PassDirection.CUSTOMER_TO_CARRIER, Set.of(Diversion.HEADER, PChargeInfo.HEADER));
        passed.put(PassDirection.CARRIER_TO_CUSTOMER, Set.of(Diversion.HEADER));
        PASSED = Map.copyOf(passed);
    }

    private HeaderPassThrough() {
    }

    /** True when a received {@code headerName} (any case, compact form or not) crosses in {@code direction}. */
    public static boolean passes(String headerName, PassDirection direction) {
        String key = HeaderNames.key(headerName);
        return PASSED.get(direction).stream().anyMatch(name -> HeaderNames.key(name).equals(key));
    }

    /**
     * What to send on the other leg for a received header.
     *
     * @param headerName  the received header's name
     * @param values      its received values, one per header line
     * @param direction   which way the request crosses
     * @param trunkDomain the trunk's SIP domain, the host of the numbers sent
     * @return the values to send, empty when the header does not cross or none of its values survives
     */
    public static RewrittenHeader rewrite(String headerName, List<String> values, PassDirection direction,
                                          String trunkDomain) {
        String key = HeaderNames.key(headerName);
        List<String> received = values == null ? List.of() : values.stream().filter(v -> v != null).toList();
        if (!passes(headerName, direction)) {
            return new RewrittenHeader(headerName == null ? "" : headerName, List.of(), List.of());
        }
        if (key.equals(HeaderNames.key(Diversion.HEADER))) {
            return Diversion.rewrite(received, trunkDomain);
        }
        return PChargeInfo.rewrite(received, trunkDomain);
    }
}
