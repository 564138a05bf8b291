package org.opentrunk.core.routing.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.config.Transport;

@Tag("IC-ROUTE")
class NaptrSelectionTest {

    private static NaptrEntry naptr(int order, int preference, String flags, String service, String replacement) {
        return new NaptrEntry(order, preference, flags, service, "", replacement);
    }

    @Test
    void sipOverUdpAndTcpByOrderThenPreference() {
        List<SrvQuery> queries = NaptrSelection.select("example.test", List.of(
                naptr(20, 10, "s", "SIP+D2U", "_sip._udp.late.test"),
                naptr(10, 50, "s", "SIP+D2U", "_sip._udp.example.test"),
                naptr(10, 20, "S", "sip+d2t", "_sip._tcp.example.test")));
        assertEquals(List.of(
                new SrvQuery("_sip._tcp.example.test", Transport.TCP, "naptr example.test sip+d2t"),
                new SrvQuery("_sip._udp.example.test", Transport.UDP, "naptr example.test SIP+D2U"),
                new SrvQuery("_sip._udp.late.test", Transport.UDP, "naptr example.test SIP+D2U")), queries);
    }

    @Test
    void sctpWebSocketsOtherFlagsRegexpsAndEmptyReplacementsAreLeftOutTlsIsKept() {
        List<SrvQuery> queries = NaptrSelection.select("example.test", List.of(
                naptr(1, 1, "s", "SIPS+D2T", "_sips._tcp.example.test"),
                naptr(1, 1, "s", "SIP+D2S", "_sip._sctp.example.test"),
                naptr(1, 1, "s", "SIP+D2W", "_sip._ws.example.test"),
                naptr(1, 1, "a", "SIP+D2U", "host.example.test"),
                naptr(1, 1, "u", "E2U+sip", "."),
                new NaptrEntry(1, 1, "s", "SIP+D2U", "!^.*$!sip:x@example.test!", "_sip._udp.example.test"),
                naptr(1, 1, "s", "SIP+D2U", "."),
                naptr(9, 9, "s", "SIP+D2U", "_sip._udp.example.test")));
        assertEquals(List.of(new SrvQuery("_sips._tcp.example.test", Transport.TLS, "naptr example.test SIPS+D2T"),
                new SrvQuery("_sip._udp.example.test", Transport.UDP, "naptr example.test SIP+D2U")), queries,
                "SIPS+D2T: SIP over TLS (IC-TLS)");
    }

    @Test
    void aNameAndTransportIsQueriedOnce() {
        List<SrvQuery> queries = NaptrSelection.select("example.test", List.of(
                naptr(1, 1, "s", "SIP+D2U", "_sip._udp.example.test"),
                naptr(2, 1, "s", "SIP+D2U", "_SIP._UDP.example.test")));
        assertEquals(1, queries.size());
    }

    @Test
    void atMostMaxNaptrRecordsAreFollowed() {
        List<NaptrEntry> records = new ArrayList<>();
        for (int i = 0; i < NaptrSelection.MAX_NAPTR_RECORDS + 5; i++) {
            records.add(naptr(i, 0, "s", "SIP+D2U", "_sip._udp.host" + i + ".test"));
        }
        List<SrvQuery> queries = NaptrSelection.select("example.test", records);
        assertEquals(NaptrSelection.MAX_NAPTR_RECORDS, queries.size());
        assertEquals("_sip._udp.host0.test", queries.get(0).name());
    }

    @Test
    void noRecordsNoQueries() {
        assertEquals(List.of(), NaptrSelection.select("example.test", List.of()));
    }
}
