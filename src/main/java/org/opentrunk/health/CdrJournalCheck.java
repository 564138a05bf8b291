package org.opentrunk.health;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.opentrunk.store.CdrWriter;

/**
 * CDRs can be kept (IC-CDR): the CDR writer runs, its last journal write worked, a file can be
 * written and forced in the journal's directory now (so a full or read-only disk shows before a
 * call's CDR meets it), and the CDRs not yet in the database stay under {@link #DEFAULT_MAX_BACKLOG}.
 */
public final class CdrJournalCheck implements HealthCheck {

    public static final String NAME = "cdr-journal";
    /**
     * CDRs waiting for the database beyond which the node is not ready: over a minute and a half at
     * 100 calls per second. A working database takes them in seconds (500 per transaction), so a
     * backlog this long means the database is not keeping up, and more calls only add to it.
     */
    public static final long DEFAULT_MAX_BACKLOG = 10_000;
    /** Written and deleted in the journal's directory by each check; the journal ignores it. */
    static final String PROBE_FILE = "health-probe.tmp";

    private final Supplier<Optional<CdrWriter.Health>> writer;
    private final long maxBacklog;

    /** @param writer the CDR writer's state, empty before start-up has started it */
    public CdrJournalCheck(Supplier<Optional<CdrWriter.Health>> writer, long maxBacklog) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.maxBacklog = maxBacklog;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult check() {
        Optional<CdrWriter.Health> state = writer.get();
        if (state.isEmpty()) {
            return CheckResult.down(NAME, "the CDR writer has not started");
        }
        CdrWriter.Health health = state.get();
        if (!health.running()) {
            return CheckResult.down(NAME, "the CDR writer is not running");
        }
        if (health.journalFailure() != null) {
            return CheckResult.down(NAME, "the last journal write failed (retrying): " + health.journalFailure());
        }
        try {
            probe(health.journalDirectory());
        } catch (IOException e) {
            return CheckResult.down(NAME, "cannot write in " + health.journalDirectory() + ": " + BoundedCheck.describe(e));
        }
        if (health.pending() > maxBacklog) {
            return CheckResult.down(NAME, health.pending() + " CDRs not in the database yet (more than " + maxBacklog + ")");
        }
        return CheckResult.up(NAME, "writable; " + health.pending() + " CDRs not in the database yet");
    }

    /** Writes a byte, forces it to disk, deletes the file: what an append needs of the directory. */
    private static void probe(Path directory) throws IOException {
        Path file = directory.resolve(PROBE_FILE);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
            channel.force(false);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
