package org.opentrunk.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Which state-changing requests the CSRF check lets through (issue 25). */
@Tag("IC-ADMIN")
class SameOriginFilterTest {

    @Test
    void onlyThePagesOwnOriginOrNoBrowserAtAll() {
        assertTrue(SameOriginFilter.isSameOrigin("http://trunk.example:9080", null, "http", "trunk.example", 9080));
        assertTrue(SameOriginFilter.isSameOrigin("HTTP://Trunk.Example:9080", null, "http", "trunk.example", 9080));
        assertTrue(SameOriginFilter.isSameOrigin("https://trunk.example", null, "https", "trunk.example", 443));
        assertTrue(SameOriginFilter.isSameOrigin(null, "http://trunk.example:9080/admin/customers.xhtml", "http",
                "trunk.example", 9080), "no Origin, the page's own Referer");
        assertTrue(SameOriginFilter.isSameOrigin(null, null, "http", "trunk.example", 9080), "curl: no browser, no cookie to borrow");

        assertFalse(SameOriginFilter.isSameOrigin("http://evil.example", null, "http", "trunk.example", 9080));
        assertFalse(SameOriginFilter.isSameOrigin("null", null, "http", "trunk.example", 9080), "sandboxed frame, data: page");
        assertFalse(SameOriginFilter.isSameOrigin("http://trunk.example:9081", null, "http", "trunk.example", 9080));
        assertFalse(SameOriginFilter.isSameOrigin("https://trunk.example:9080", null, "http", "trunk.example", 9080));
        assertFalse(SameOriginFilter.isSameOrigin("http://trunk.example.evil.example:9080", null, "http", "trunk.example", 9080));
        assertFalse(SameOriginFilter.isSameOrigin(null, "http://evil.example/x", "http", "trunk.example", 9080));
        assertFalse(SameOriginFilter.isSameOrigin(null, "http://trunk.example:9080@evil.example/", "http", "trunk.example", 9080),
                "user info is not the host");
        assertFalse(SameOriginFilter.isSameOrigin(null, "not a url", "http", "trunk.example", 9080));
        assertFalse(SameOriginFilter.isSameOrigin("http://evil.example", "http://trunk.example:9080/", "http",
                "trunk.example", 9080), "the Origin decides when there is one");
    }
}
