package org.opentrunk.core.stir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrunk.health.StirKeyCheck;
import org.opentrunk.testing.StirPki;

/** IC-STIR: what the OT_STIR_* settings turn on, and how a broken one shows (the 'stir' health check). */
@Tag("IC-STIR")
class StirServiceTest {

    @TempDir
    Path dir;

    @Test
    void nothingSetIsOffAndHealthy() {
        StirService stir = StirService.from(Map.<String, String>of()::get);
        assertFalse(stir.status().signing());
        assertFalse(stir.status().verifying());
        assertFalse(stir.status().broken());
        assertTrue(new StirKeyCheck(stir::status).check().up());
        assertEquals(Optional.empty(), stir.identityHeader(Attestation.A, "+12025550100", "+12065550123",
                "123e4567-e89b-12d3-a456-426614174000"));
        assertEquals(Verstat.NO_VALIDATION, stir.verify(List.of("a.b.c;info=<https://x.example/c>"), Optional.of("+1"), "+2")
                .join().verstat(), "verification off: nothing is failed for it");
    }

    @Test
    void aUsableKeyAndAnchorsTurnBothOn() throws Exception {
        StirPki.Issued ca = StirPki.root("CA");
        StirPki.Issued sp = StirPki.signer(ca, "SP");
        Path key = Files.writeString(dir.resolve("key.pem"), StirPki.sec1Pem(sp.keys()));
        Files.createDirectories(dir.resolve("anchors"));
        Files.writeString(dir.resolve("anchors/ca.pem"), ca.certificatePem());
        StirService stir = StirService.from(Map.of("OT_STIR_KEY", key.toString(), "OT_STIR_X5U", "https://cert.example.net/c.pem",
                "OT_STIR_CA_DIR", dir.resolve("anchors").toString())::get);
        assertTrue(stir.status().signing(), stir.status()::toString);
        assertTrue(stir.status().verifying(), stir.status()::toString);
        assertTrue(new StirKeyCheck(stir::status).check().up());
        String identity = stir.identityHeader(Attestation.B, "+12025550100", "+12065550123",
                "123e4567-e89b-12d3-a456-426614174000").orElseThrow();
        assertTrue(identity.endsWith(";info=<https://cert.example.net/c.pem>;alg=ES256;ppt=shaken"), identity);
        // An Identity that is no JWS fails before any certificate fetch.
        assertEquals(Verstat.FAILED, stir.verify(List.of("x.y.z;info=<https://cert.example.net/c.pem>"),
                Optional.of("+12025550100"), "+12065550123").join().verstat());
    }

    @Test
    void aSettingThatIsSetButUnusableIsDownOnHealth() throws Exception {
        Path notAKey = Files.writeString(dir.resolve("key.pem"), "hello");
        StirService stir = StirService.from(Map.of("OT_STIR_KEY", notAKey.toString(),
                "OT_STIR_X5U", "https://cert.example.net/c.pem")::get);
        assertFalse(stir.status().signing());
        assertTrue(stir.status().broken());
        assertFalse(new StirKeyCheck(stir::status).check().up());
        assertTrue(new StirKeyCheck(stir::status).check().detail().contains("OT_STIR_KEY"));

        StirService halfSet = StirService.from(Map.of("OT_STIR_X5U", "https://cert.example.net/c.pem")::get);
        assertTrue(halfSet.status().broken(), "a key without a URL or a URL without a key is a mistake");
        StirService emptyAnchors = StirService.from(Map.of("OT_STIR_CA_DIR", Files.createDirectories(dir.resolve("empty")).toString())::get);
        assertTrue(emptyAnchors.status().broken());
        assertFalse(emptyAnchors.status().verifying());
    }
}
