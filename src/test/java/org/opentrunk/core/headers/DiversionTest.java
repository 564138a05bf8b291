package org.opentrunk.core.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** IC-DIVERSION (RFC 5806). */
@Tag("IC-DIVERSION")
class DiversionTest {

    static final String DOMAIN = "trunk.example.net";

    private static RewrittenHeader rewrite(String... values) {
        return Diversion.rewrite(Arrays.asList(values), DOMAIN);
    }

    @Test
    void asteriskDiversionKeepsItsParameters() {
        assertEquals(List.of("<sip:+12065550111@trunk.example.net;user=phone>;reason=unconditional;privacy=off;screen=no"),
                rewrite("<sip:+12065550111@203.0.113.5>;reason=unconditional;privacy=off;screen=no").values());
    }

    @Test
    void freeswitchDiversionWithoutPlusAndWithCounter() {
        assertEquals(List.of("<sip:+12065550111@trunk.example.net;user=phone>;reason=no-answer;counter=1"),
                rewrite("<sip:12065550111@192.168.1.10>;reason=no-answer;counter=1").values());
    }

    @Test
    void ciscoDisplayNameIsDroppedQuotedValuesKept() {
        assertEquals(List.of("<sip:+12065550111@trunk.example.net;user=phone>;reason=\"user-busy\";screen=yes"),
                rewrite("\"Bob\" <sip:12065550111@10.1.1.1>;reason=\"user-busy\";screen=yes").values());
    }

    @Test
    void stackedEntriesKeepTheirOrderOneLineEach() {
        RewrittenHeader out = rewrite("<sip:+12065550122@pbx>;reason=user-busy;counter=1, <tel:+12065550111>;reason=unconditional",
                "<sip:+12065550133@pbx>;reason=deflection");
        assertEquals(List.of(
                "<sip:+12065550122@trunk.example.net;user=phone>;reason=user-busy;counter=1",
                "<sip:+12065550111@trunk.example.net;user=phone>;reason=unconditional",
                "<sip:+12065550133@trunk.example.net;user=phone>;reason=deflection"), out.values());
    }

    @Test
    void entriesWithoutAValidNumberAreDroppedWithANote() {
        RewrittenHeader out = rewrite("\"Bob\" <sip:1001@10.1.1.1>;reason=unconditional, <sip:+12065550111@pbx>;reason=no-answer",
                "<sip:+12065550122@pbx", "<sip:pbx.example.com>");
        assertEquals(List.of("<sip:+12065550111@trunk.example.net;user=phone>;reason=no-answer"), out.values());
        assertEquals(3, out.notes().size(), out.notes()::toString);
        assertTrue(out.notes().get(0).contains("1001"));
    }

    @Test
    void atMostMaxEntries() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < Diversion.MAX_ENTRIES + 3; i++) {
            many.add("<sip:+1206555010" + (i % 10) + "@pbx>;counter=" + (i + 1));
        }
        RewrittenHeader out = Diversion.rewrite(many, DOMAIN);
        assertEquals(Diversion.MAX_ENTRIES, out.values().size());
        assertEquals(3, out.notes().size());
    }

    @Test
    void nothingInNothingOut() {
        assertTrue(Diversion.rewrite(List.of(), DOMAIN).values().isEmpty());
    }
}
