package org.opentrunk.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrunk.store.CdrWriter;

class CdrJournalCheckTest {

    private static final long MAX_BACKLOG = 100;

    @TempDir
    Path journal;

    @Test
    void upWhenRunningWritableAndTheBacklogIsShort() throws Exception {
        CheckResult result = check(new CdrWriter.Health(true, null, 12, journal));
        assertTrue(result.up(), result::detail);
        assertEquals("writable; 12 CDRs not in the database yet", result.detail());
        try (var files = Files.list(journal)) {
            assertEquals(0, files.count(), "the probe file is gone again");
        }
    }

    @Test
    void downBeforeTheWriterHasStarted() {
        CheckResult result = new CdrJournalCheck(Optional::empty, MAX_BACKLOG).check();
        assertFalse(result.up());
        assertEquals("the CDR writer has not started", result.detail());
    }

    @Test
    void downWhenTheWriterStopped() {
        assertEquals("the CDR writer is not running", check(new CdrWriter.Health(false, null, 0, journal)).detail());
    }

    @Test
    void downWhileJournalWritesFail() {
        CheckResult result = check(new CdrWriter.Health(true, "append: java.io.IOException: No space left on device", 3, journal));
        assertFalse(result.up());
        assertTrue(result.detail().contains("No space left on device"), result.detail());
    }

    @Test
    void downWhenTheDirectoryCannotBeWritten() {
        Path gone = journal.resolve("no-such-directory");
        CheckResult result = check(new CdrWriter.Health(true, null, 0, gone));
        assertFalse(result.up());
        assertTrue(result.detail().startsWith("cannot write in " + gone), result.detail());
    }

    @Test
    void downWhenTheBacklogIsOverTheLimit() {
        assertTrue(check(new CdrWriter.Health(true, null, MAX_BACKLOG, journal)).up(), "at the limit");
        CheckResult over = check(new CdrWriter.Health(true, null, MAX_BACKLOG + 1, journal));
        assertFalse(over.up());
        assertEquals("101 CDRs not in the database yet (more than 100)", over.detail());
    }

    private static CheckResult check(CdrWriter.Health health) {
        return new CdrJournalCheck(() -> Optional.of(health), MAX_BACKLOG).check();
    }
}
