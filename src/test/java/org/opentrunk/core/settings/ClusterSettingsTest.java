package org.opentrunk.core.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

    private static ClusterSettings read(Map<String, String> env) {
        return ClusterSettings.from(env::get);
    }

    @Test
    void aSingleNodeNeedsNothing() {
        ClusterSettings settings = read(Map.of());
        assertFalse(settings.clustered());
        assertFalse(settings.nodeId().isEmpty());
        assertTrue(settings.nodeId().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}"), settings.nodeId());
        assertEquals(ClusterSettings.DEFAULT_SHARED_STATE_GRACE, settings.sharedStateGrace());
    }

    @Test
    void aNodeOfSeveral() {
        ClusterSettings settings = read(Map.of("OT_NODE_ID", "node2", "OT_REDIS_URL", "redis://:pw@127.0.0.1:6390/0",
                "OT_NONCE_SECRET", "ab".repeat(32), "OT_SHARED_STATE_GRACE", "15"));
        assertTrue(settings.clustered());
        assertEquals("node2", settings.nodeId());
        assertEquals(32, settings.nonceSecret().orElseThrow().length);
        assertEquals(Duration.ofSeconds(15), settings.sharedStateGrace());
        assertFalse(settings.toString().contains("pw"), "no password in the log line: " + settings);
    }

    @Test
    void badValuesAreNamed() {
        InvalidSettingException node = assertThrows(InvalidSettingException.class, () -> read(Map.of("OT_NODE_ID", "node 1")));
        assertTrue(node.getMessage().startsWith("OT_NODE_ID"), node.getMessage());
        InvalidSettingException url = assertThrows(InvalidSettingException.class, () -> read(Map.of("OT_REDIS_URL", "127.0.0.1:6379")));
        assertTrue(url.getMessage().contains("OT_REDIS_URL"), url.getMessage());
        InvalidSettingException secret = assertThrows(InvalidSettingException.class, () -> read(Map.of("OT_NONCE_SECRET", "abcd")));
        assertTrue(secret.getMessage().contains("OT_NONCE_SECRET") && !secret.getMessage().contains("abcd"), secret.getMessage());
        assertThrows(InvalidSettingException.class, () -> read(Map.of("OT_SHARED_STATE_GRACE", "-1")));
    }
}
