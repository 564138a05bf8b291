package org.opentrunk.core.cnam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;

class CnamUrlTemplateTest {

    @Test
    void theNumberGoesInUrlEncodedWithItsPlus() {
        CnamUrlTemplate template = CnamUrlTemplate.of(" http://127.0.0.1:8089/cnam?number={number}&key=k ");
        assertEquals(URI.create("http://127.0.0.1:8089/cnam?number=%2B12066418000&key=k"), template.expand("+12066418000"));
        assertEquals(URI.create("https://cnam.example/v1/%2B4420/name"),
                CnamUrlTemplate.of("HTTPS://cnam.example/v1/{number}/name").expand("+4420"));
    }

    @Test
    void onlyTheOriginIsShownNeverTheKey() {
        CnamUrlTemplate template = CnamUrlTemplate.of("https://cnam.example:8443/q?key=SECRET&n={number}");
        assertEquals("https://cnam.example:8443", template.toString());
        assertEquals("http://h", CnamUrlTemplate.of("http://h/{number}").origin());
    }

    @Test
    void unusableTemplatesAreRefusedAtConstruction() {
        for (String bad : new String[] {null, "", "  ", "ftp://cnam.example/{number}", "file:///etc/{number}",
                "jar:http://x/{number}", "/cnam?number={number}", "http:///cnam?n={number}", "http://cnam.example/lookup",
                "http://user:pw@cnam.example/{number}", "http://cnam.example/{number}?x={other}", "http://cnam example/{number}"}) {
            assertThrows(InvalidCnamUrlException.class, () -> CnamUrlTemplate.of(bad), String.valueOf(bad));
        }
    }

    @Test
    void aRefusalDoesNotRepeatTheKey() {
        InvalidCnamUrlException e = assertThrows(InvalidCnamUrlException.class,
                () -> CnamUrlTemplate.of("http://cnam.example/q?key=SECRET"));
        assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
        e = assertThrows(InvalidCnamUrlException.class,
                () -> CnamUrlTemplate.of("http://cnam.example/q?key=SE CRET&n={number}"));
        assertFalse(e.getMessage().contains("SE CRET"), e.getMessage());
    }
}
