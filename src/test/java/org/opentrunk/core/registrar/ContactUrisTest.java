package org.opentrunk.core.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.address.SipUri;

/** Which contact URIs are bindable, and RFC 3261 section 19.1.4 equality between them. */
class ContactUrisTest {

    private static SipUri uri(String text) {
        return ContactUris.parse(text).orElseThrow(() -> new AssertionError("not bindable: " + text));
    }

    private static boolean same(String a, String b) {
        boolean result = ContactUris.sameBinding(uri(a), uri(b));
        assertEquals(result, ContactUris.sameBinding(uri(b), uri(a)), "symmetric for " + a + " and " + b);
        return result;
    }

    @Test
    void onlyPlainSipUrisAreBindable() {
        assertTrue(ContactUris.parse("sip:100@192.168.1.5:5060;transport=udp").isPresent());
        assertTrue(ContactUris.parse("sip:192.168.1.5").isPresent(), "a user part is optional");
        assertEquals(Optional.empty(), ContactUris.parse("sips:100@pbx.example.com"));
        assertEquals(Optional.empty(), ContactUris.parse("tel:+12065550100"));
        assertEquals(Optional.empty(), ContactUris.parse("<sip:100@192.168.1.5>"), "a URI, not a header value");
        assertEquals(Optional.empty(), ContactUris.parse("sip:100@192.168.1.5>, <sip:101@192.168.1.5"));
        assertEquals(Optional.empty(), ContactUris.parse(""));
        assertEquals(Optional.empty(), ContactUris.parse(null));
        assertEquals(Optional.empty(), ContactUris.parse("sip:1@h;x=" + "a".repeat(Binding.MAX_CONTACT_URI_LENGTH)));
    }

    @Test
    void schemeAndHostIgnoreCaseTheUserDoesNot() {
        assertTrue(same("sip:100@PBX.example.com", "SIP:100@pbx.EXAMPLE.com"));
        assertFalse(same("sip:alice@pbx.example.com", "sip:Alice@pbx.example.com"));
        assertTrue(same("sip:%61lice@pbx.example.com", "sip:alice@pbx.example.com"), "escapes are resolved first");
        assertFalse(same("sip:100@pbx.example.com", "sip:pbx.example.com"));
    }

    @Test
    void aWrittenPortDiffersFromNone() {
        assertFalse(same("sip:100@192.168.1.5", "sip:100@192.168.1.5:5060"));
        assertFalse(same("sip:100@192.168.1.5:5060", "sip:100@192.168.1.5:5062"));
        assertTrue(same("sip:100@192.168.1.5:5060", "sip:100@192.168.1.5:5060"));
    }

    @Test
    void transportUserTtlMethodAndMaddrMustMatchOtherParametersOnlyWhenBothHaveThem() {
        assertFalse(same("sip:100@192.168.1.5;transport=tcp", "sip:100@192.168.1.5"));
        assertFalse(same("sip:100@192.168.1.5;transport=tcp", "sip:100@192.168.1.5;transport=udp"));
        assertTrue(same("sip:100@192.168.1.5;transport=TCP", "sip:100@192.168.1.5;Transport=tcp"));
        assertFalse(same("sip:100@192.168.1.5;user=phone", "sip:100@192.168.1.5"));
        assertFalse(same("sip:100@192.168.1.5;maddr=239.255.255.1", "sip:100@192.168.1.5"));
        assertTrue(same("sip:100@192.168.1.5;ob", "sip:100@192.168.1.5"));
        assertTrue(same("sip:100@192.168.1.5;rinstance=abc", "sip:100@192.168.1.5;line=7"));
        assertFalse(same("sip:100@192.168.1.5;rinstance=abc", "sip:100@192.168.1.5;rinstance=def"),
                "a softphone's new instance is a new contact");
        assertFalse(same("sip:100@192.168.1.5;lr", "sip:100@192.168.1.5;lr=on"), "a flag is not a value");
    }

    @Test
    void headersMustMatchInAnyOrder() {
        assertTrue(same("sip:100@192.168.1.5?a=1&b=2", "sip:100@192.168.1.5?b=2&a=1"));
        assertFalse(same("sip:100@192.168.1.5?a=1", "sip:100@192.168.1.5"));
    }
}
