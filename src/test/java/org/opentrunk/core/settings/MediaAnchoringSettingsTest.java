package org.opentrunk.core.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MediaAnchoringSettingsTest {

    private static final Path DATA = Path.of("/var/lib/opentrunk");

    private static MediaAnchoringSettings media(Map<String, String> env) {
        return TrunkSettings.from(env::get, DATA).media();
    }

    @Test
    void defaultsNeedNoSetup() {
        MediaAnchoringSettings m = media(Map.of());
        assertEquals(Optional.empty(), m.address());
        assertEquals(20000, m.rtpPortFirst());
        assertEquals(29999, m.rtpPortLast());
        assertEquals(Duration.ofSeconds(60), m.mediaTimeout());
        assertFalse(m.keepDigits());
    }

    @Test
    void environmentOverridesDefaults() {
        MediaAnchoringSettings m = media(Map.of("OT_MEDIA_ADDRESS", "203.0.113.9", "OT_RTP_PORTS", "30000 - 30099",
                "OT_MEDIA_TIMEOUT", "3", "OT_MEDIA_KEEP_DIGITS", "TRUE"));
        assertEquals(Optional.of("203.0.113.9"), m.address());
        assertEquals(30000, m.rtpPortFirst());
        assertEquals(30099, m.rtpPortLast());
        assertEquals(Duration.ofSeconds(3), m.mediaTimeout());
        assertTrue(m.keepDigits());
    }

    @Test
    void unusableValuesAreRefusedByName() {
        for (Map<String, String> env : new Map[] {
                Map.of("OT_MEDIA_ADDRESS", "0.0.0.0"), Map.of("OT_MEDIA_ADDRESS", "media.example.net"),
                Map.of("OT_MEDIA_ADDRESS", "::1"), Map.of("OT_RTP_PORTS", "20000"),
                Map.of("OT_RTP_PORTS", "80-90"), Map.of("OT_RTP_PORTS", "20001-20002"),
                Map.of("OT_RTP_PORTS", "30000-20000"), Map.of("OT_RTP_PORTS", "20000-70000"),
                Map.of("OT_MEDIA_TIMEOUT", "0"), Map.of("OT_MEDIA_KEEP_DIGITS", "yes")}) {
            InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> media(env), env.toString());
            assertTrue(e.getMessage().startsWith(env.keySet().iterator().next() + "="), e.getMessage());
        }
    }
}
