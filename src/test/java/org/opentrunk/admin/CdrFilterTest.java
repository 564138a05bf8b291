package org.opentrunk.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.provisioning.InvalidFieldException;

/** The CDR filter's emergency field (IC-EMERGENCY): the API's ?emergency=, the page's menu, the CSV link. */
@Tag("IC-EMERGENCY")
class CdrFilterTest {

    private static CdrFilter emergency(String value) {
        CdrFilter filter = new CdrFilter();
        filter.setEmergency(value);
        return filter;
    }

    @Test
    void trueAndFalseFilterBlankDoesNot() {
        assertEquals(Boolean.TRUE, emergency("true").query(10).emergency());
        assertEquals(Boolean.TRUE, emergency(" TRUE ").query(10).emergency());
        assertEquals(Boolean.FALSE, emergency("false").query(10).emergency());
        assertNull(emergency(" ").query(10).emergency());
        assertNull(emergency(null).query(10).emergency());
    }

    @Test
    void anythingElseIsRefusedNotReadAsFalse() {
        for (String bad : new String[] {"yes", "1", "on", "tru"}) {
            InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> emergency(bad).query(10), bad);
            assertEquals("emergency", e.field());
        }
    }

    @Test
    void theCsvLinkKeepsIt() {
        CdrFilter filter = emergency("true");
        filter.setDirection("outbound");
        assertEquals("direction=outbound&emergency=true", filter.toQueryString());
        assertEquals("", emergency("").toQueryString());
    }
}
