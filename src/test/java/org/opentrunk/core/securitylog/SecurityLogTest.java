package org.opentrunk.core.securitylog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The security log's format (docs/security.md), its quoting of peer input and its bound on flood lines. */
class SecurityLogTest {

    @TempDir
    Path dir;

    @Test
    void aLineIsTagEventSourceThenFieldsWithPeerInputQuoted() {
        String line = SecurityLog.message(SecurityEvent.AUTH_FAILURE, "203.0.113.7", "method", "REGISTER",
                "user", SecurityLog.quoted("evil\r\nOPENTRUNK-SECURITY event=auth_failure src=6.6.6.6"),
                "reason", "wrong_response");
        assertEquals("OPENTRUNK-SECURITY event=auth_failure src=203.0.113.7 method=REGISTER user='evilU+000DU+000A"
                + "OPENTRUNK-SECURITY event=auth_failure src=6.6.6.6' reason=wrong_response", line);
        assertEquals("OPENTRUNK-SECURITY event=block src=- cause=digest", SecurityLog.message(SecurityEvent.BLOCK, null,
                "cause", "digest"));
        assertEquals("OPENTRUNK-SECURITY event=flood_refused src='a b'", SecurityLog.message(SecurityEvent.FLOOD_REFUSED, "a b"),
                "a source that is not an address is quoted, never written as one");
        assertThrows(IllegalArgumentException.class, () -> SecurityLog.message(SecurityEvent.BLOCK, "1.2.3.4", "x"));
        assertThrows(IllegalArgumentException.class, () -> SecurityLog.message(SecurityEvent.BLOCK, "1.2.3.4", "Bad Name", "v"));
    }

    @Test
    void theFileRotatesUnderItsOwnName() throws Exception {
        Path file = dir.resolve("rotating.log");
        RotatingFile handler = new RotatingFile(file, 100, 3);
        handler.setFormatter(new SecurityLog.LineFormatter());
        for (int i = 0; i < 10; i++) {
            handler.publish(new java.util.logging.LogRecord(java.util.logging.Level.INFO, "line " + i + " " + "x".repeat(30)));
        }
        handler.close();
        assertTrue(Files.readString(file).contains("line 9 "), "the newest line is in the file of that name");
        assertTrue(Files.exists(dir.resolve("rotating.log.1")) && Files.exists(dir.resolve("rotating.log.2")));
        assertTrue(!Files.exists(dir.resolve("rotating.log.3")), "bounded: three files");
        assertTrue(Files.size(file) <= 100);
    }

    @Test
    void theFileHasATimestampPerLineAndFloodsAreOneLinePerSourceAndInterval() throws Exception {
        Path file = dir.resolve("logs/security.log");
        SecurityLog.writeTo(file);
        try {
            long start = 1_000_000_000L;
            for (int i = 0; i < 1000; i++) {
                SecurityLog.floodRefused("127.0.0.144", "source_rate", start + i * 1_000_000L); // 1 s of flood
            }
            SecurityLog.floodRefused("127.0.0.144", "source_rate", start + Duration.ofMillis(1000).toNanos());
            SecurityLog.floodRefused("127.0.0.148", "source_rate", start);
            SecurityLog.event(SecurityEvent.ADMIN_AUTH_FAILURE, "127.0.0.145");
        } finally {
            SecurityLog.closeFile();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(4, lines.size(), String.join("\n", lines));
        for (String line : lines) {
            assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z OPENTRUNK-SECURITY event=.*"), line);
        }
        assertTrue(lines.get(0).endsWith("event=flood_refused src=127.0.0.144 reason=source_rate refused=1"), lines.get(0));
        assertTrue(lines.get(1).endsWith("event=flood_refused src=127.0.0.144 reason=source_rate refused=1000"),
                "the next line counts what the interval held back: " + lines.get(1));
        assertTrue(lines.get(2).endsWith("event=flood_refused src=127.0.0.148 reason=source_rate refused=1"));
        assertTrue(lines.get(3).endsWith("event=admin_auth_failure src=127.0.0.145"));
    }
}
