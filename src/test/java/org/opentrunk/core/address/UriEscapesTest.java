package org.opentrunk.core.address;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class UriEscapesTest {

    @Test
    void decodesUtf8Escapes() {
        assertEquals(Optional.of("12345678#+1206"), UriEscapes.decode("12345678%23%2b1206"));
        assertEquals(Optional.of("Müller"), UriEscapes.decode("M%C3%BCller"));
        assertEquals(Optional.of("plain"), UriEscapes.decode("plain"));
    }

    @Test
    void refusesBadEscapes() {
        assertEquals(Optional.empty(), UriEscapes.decode("%"));
        assertEquals(Optional.empty(), UriEscapes.decode("%2"));
        assertEquals(Optional.empty(), UriEscapes.decode("%g1"));
        assertEquals(Optional.empty(), UriEscapes.decode("%٣1"), "ASCII hex digits only");
        assertEquals(Optional.empty(), UriEscapes.decode("%FF"), "not UTF-8");
        assertEquals(Optional.empty(), UriEscapes.decode("a\uD800"), "half a surrogate pair");
    }

    @Test
    void encodesWhatIsNotAllowedRaw() {
        assertEquals("12345678%2312%C3%BC", UriEscapes.encode("12345678#12ü", c -> c >= '0' && c <= '9'));
    }
}
