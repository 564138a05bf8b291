package org.opentrunk.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import java.net.InetAddress;
import org.opentrunk.media.MediaSettings;
import org.opentrunk.media.PortRange;
import org.opentrunk.media.RelayEngine;
import org.opentrunk.media.RelayLoopState;

class MediaRelayCheckTest {

    private static final Duration GAP = Duration.ofSeconds(5);
    private static final long RECENT = Duration.ofMillis(300).toNanos();

    @Test
    void upWhenEveryThreadRunsAndCameRoundLately() {
        CheckResult result = check(List.of(new RelayLoopState("ot-media-relay-0", true, RECENT),
                new RelayLoopState("ot-media-relay-1", true, RECENT)));
        assertTrue(result.up());
        assertEquals("2 relay threads running", result.detail());
    }

    @Test
    void downWhenNotRunning() {
        assertEquals("the media relay is not running", check(List.of()).detail());
    }

    @Test
    void downWhenAThreadEnded() {
        CheckResult result = check(List.of(new RelayLoopState("ot-media-relay-0", true, RECENT),
                new RelayLoopState("ot-media-relay-1", false, RECENT)));
        assertFalse(result.up());
        assertEquals("relay thread ot-media-relay-1 has ended", result.detail());
    }

    @Test
    void downWhenAThreadIsStuck() {
        CheckResult result = check(List.of(new RelayLoopState("ot-media-relay-0", true, Duration.ofSeconds(9).toNanos())));
        assertFalse(result.up());
        assertEquals("relay thread ot-media-relay-0 stuck for 9000 ms", result.detail());
    }

    @Test
    void theRealRelayIsUpWhileStartedAndDownWhenStopped() throws Exception {
        // no session is created, so none of these ports is bound
        RelayEngine engine = new RelayEngine(new MediaSettings(InetAddress.getLoopbackAddress(),
                new PortRange(36000, 36009), MediaSettings.DEFAULT_MEDIA_TIMEOUT, 2, false));
        engine.start();
        try {
            assertTrue(new MediaRelayCheck(engine::loopStates, GAP).check().up());
        } finally {
            engine.stop();
        }
        assertFalse(new MediaRelayCheck(engine::loopStates, GAP).check().up());
    }

    private static CheckResult check(List<RelayLoopState> states) {
        return new MediaRelayCheck(() -> states, GAP).check();
    }
}
