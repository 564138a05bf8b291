package org.opentrunk.core.routing.dns;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opentrunk.core.config.Transport;

/**
 * Which NAPTR records of a domain lead to SIP servers OpenTrunk can reach, and in which order
 * (RFC 3263 section 4.1): records with flag {@code s} whose service is {@code SIP+D2U} (UDP) or
 * {@code SIP+D2T} (TCP), by order, then preference. TLS, SCTP and SIPS services are left out
 * (IC-IPV4: UDP and TCP only), as are records with a rewrite rule: for SIP the replacement field
 * carries the SRV name and the regexp is empty.
 */
public final class NaptrSelection {

    /**
     * Most NAPTR records followed for one domain: each costs SRV and A queries, and a domain has
     * at most a few SIP transports.
     */
    public static final int MAX_NAPTR_RECORDS = 8;

    private static final Map<String, Transport> SERVICES = Map.of(
            "SIP+D2U", Transport.UDP,
            "SIP+D2T", Transport.TCP,
            "SIPS+D2T", Transport.TLS);

    private NaptrSelection() {
    }

    /**
     * @param domain  the domain the records belong to, for the origin text
     * @param records one NAPTR answer, any order
     * @return the SRV names to query, first one first; at most {@link #MAX_NAPTR_RECORDS}, no name
     *         and transport twice; empty when no record is usable
     */
    public static List<SrvQuery> select(String domain, List<NaptrEntry> records) {
        List<NaptrEntry> usable = new ArrayList<>();
        for (NaptrEntry record : records) {
            if (isUsable(record)) {
                usable.add(record);
            }
        }
        usable.sort(Comparator.comparingInt(NaptrEntry::order).thenComparingInt(NaptrEntry::preference));
        List<SrvQuery> queries = new ArrayList<>();
        for (NaptrEntry record : usable) {
            Transport transport = SERVICES.get(record.service().toUpperCase(Locale.ROOT));
            String origin = "naptr " + domain + " " + record.service();
            SrvQuery query = new SrvQuery(record.replacement(), transport, origin);
            boolean seen = queries.stream().anyMatch(q -> q.name().equalsIgnoreCase(query.name())
                    && q.transport() == query.transport());
            if (!seen) {
                queries.add(query);
            }
            if (queries.size() == MAX_NAPTR_RECORDS) {
                break;
            }
        }
        return queries;
    }

    private static boolean isUsable(NaptrEntry record) {
        return record.flags().equalsIgnoreCase("s")
                && SERVICES.containsKey(record.service().toUpperCase(Locale.ROOT))
                && record.regexp().isEmpty()
                && !record.replacement().isEmpty()
                && !record.replacement().equals(SrvEntry.NOT_AVAILABLE);
    }
}
