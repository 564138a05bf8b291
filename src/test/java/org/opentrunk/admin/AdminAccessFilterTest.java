package org.opentrunk.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdminAccessFilterTest {

    @ParameterizedTest
    @ValueSource(strings = {"/login.xhtml", "/error.xhtml", "/javax.faces.resource/admin.css.xhtml"})
    void theLoginAndErrorPagesAndTheirStyleAreOpen(String path) {
        assertTrue(AdminAccessFilter.isOpen(path), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/admin/index.xhtml", "/admin/cdrs.csv", "/api/v1/customers", "//admin/index.xhtml",
            "/resources/../admin/index.xhtml", "/resources/%2e%2e/admin/index.xhtml", "/health/..\\\\admin/index.xhtml",
            "/javax.faces.resource//admin/index.xhtml", "/javax.faces.resource/../admin/index.xhtml",
            "/javax.faces.resource/%2e%2e/admin/index.xhtml", "/javax.faces.resource/x;y", "/", "/index.html",
            "/resources/./x", "/login.xhtml;x", "/Login.xhtml", "/metrics/x", "/nothing-here", ""})
    void everythingElseNeedsTheLogin(String path) {
        assertFalse(AdminAccessFilter.isOpen(path), path);
    }
}
