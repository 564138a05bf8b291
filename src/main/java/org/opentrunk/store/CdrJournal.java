package org.opentrunk.store;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;
import org.opentrunk.core.cdr.CallRecord;
import org.opentrunk.core.cdr.CallRecordLine;
import org.opentrunk.core.cdr.MalformedCallRecordException;

/**
 * The CDR journal (IC-CDR: no CDR is lost when the server restarts): an append-only log of
 * {@link CallRecord}s on local disk, written before the records go to the database and read back
 * for the database, so that a record which reached the journal survives a crash, a restart and a
 * database outage.
 *
 * <h2>Files</h2>
 * A directory ({@value #DIRECTORY_NAME} in the data directory) holds:
 * <ul>
 *   <li>Segments {@code segment-<16-digit number>.cdr}, numbered in append order. Each line is one
 *   record: the CRC32C of the record text in 8 lower-case hex digits, a space, the record in
 *   {@link CallRecordLine} form (printable ASCII), {@code \n}. Records are appended to one segment
 *   until it reaches {@linkplain #SEGMENT_BYTES its size}, then the next is started. A segment is
 *   never appended to by a later process: opening the journal starts a new one, so the torn tail a
 *   crash may leave stays the last line of its segment.</li>
 *   <li>{@code committed}: the commit point, {@code <segment> <offset>} in ASCII. Every record
 *   before it is in the database. It is replaced atomically (written to {@code committed.tmp},
 *   forced, renamed over, the directory forced), so a crash leaves the old or the new point.</li>
 *   <li>{@code lock}: held with a file lock while the journal is open ({@link JournalInUseException}).</li>
 * </ul>
 *
 * <h2>Durability and order</h2>
 * {@link #append} returns after {@link FileChannel#force} (the durability point). Records are read
 * back ({@link #readUncommitted}) in append order from the commit point, and only up to what is
 * forced; {@link #commit} moves the point past a batch once the database holds it, and deletes the
 * segments wholly before the point. Disk use is thus what the database has not taken yet, at
 * most {@code maxBytes} ({@link JournalFullException} beyond), plus the committed part of the
 * segment being written.
 *
 * <h2>Damage</h2>
 * A line without its {@code \n} at the end of a segment is a write cut short by a crash: it is
 * skipped (its append never returned, so nobody was promised it). A complete line whose CRC or
 * syntax is wrong (damage on disk) is skipped too, logged at SEVERE with its text for an operator,
 * and counted ({@link #damagedLines()}); one bad line never stops the rest. A crash between a
 * database write and its commit means those records are read again: delivery is at least once,
 * and the database keeps each {@link CallRecord#recordId()} once ({@link CdrSink}).
 *
 * <p>Threads: one thread appends, one reads and commits; they may run at the same time.
 */
public final class CdrJournal implements Closeable {

    /** The journal's directory inside the data directory. */
    public static final String DIRECTORY_NAME = "cdr-journal";
    /** Size at which a segment is closed and the next one started: about 16,000 records. */
    public static final long SEGMENT_BYTES = 8L << 20;
    /**
     * Default limit on the records waiting in the journal: about 8 million records of some 500 bytes,
     * a day of database outage at 100 calls per second, before the journal stops taking records
     * rather than fill the disk that the embedded database and the logs share.
     */
    public static final long DEFAULT_MAX_BYTES = 4L << 30;
    /** Longest line a reader accepts; a record line is some 500 bytes, at most about 8 KB. */
    public static final int MAX_LINE_BYTES = 64 * 1024;

    static final String SEGMENT_PREFIX = "segment-";
    static final String SEGMENT_SUFFIX = ".cdr";
    static final String COMMITTED_FILE = "committed";
    static final String LOCK_FILE = "lock";

    private static final Logger LOG = Logger.getLogger(CdrJournal.class.getName());
    private static final int CRC_CHARS = 8;
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int MAX_QUOTED_BYTES = 2_000;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Path directory;
    private final long segmentBytes;
    private final long maxBytes;
    private final FileChannel lockChannel;

    private final ReentrantLock state = new ReentrantLock();
    private final Condition appended = state.newCondition();
    // guarded by state
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private Position committed;
    private long diskBytes;
    private long uncommittedLines;
    private long damagedLines;
    private long tornLines;
    /** Damaged and torn lines counted and logged already: reading them again says nothing new. */
    private final Set<Position> reported = new HashSet<>();
    private boolean closed;

    // the appending thread's, under appendLock
    private final Object appendLock = new Object();
    private Segment current;
    private volatile FileChannel appendChannel;

    // the committing thread's
    private final Object commitLock = new Object();

    /**
     * Where a record line ends: the segment's number and the byte offset in it.
     */
    public record Position(long segment, long offset) implements Comparable<Position> {
        public static final Position START = new Position(0, 0);

        @Override
        public int compareTo(Position other) {
            int bySegment = Long.compare(segment, other.segment);
            return bySegment != 0 ? bySegment : Long.compare(offset, other.offset);
        }

        @Override
        public String toString() {
            return segment + ":" + offset;
        }
    }

    /**
     * Records read from the journal, oldest first, for one database write and then
     * {@link #commit}.
     *
     * @param records the records, in append order (empty when only damaged or torn lines were passed)
     * @param start   the commit point they were read from
     * @param end     the position after them, the new commit point
     * @param lines   how many lines lie between start and end, records and damaged ones
     */
    public record Batch(List<CallRecord> records, Position start, Position end, long lines) {
        public Batch {
            records = Collections.unmodifiableList(records);
        }

        /** Whether committing it moves the commit point (also when no record was read). */
        public boolean advances() {
            return end.compareTo(start) > 0;
        }
    }

    /** Opens {@code dataDirectory}/{@value #DIRECTORY_NAME} with the default sizes. */
    public static CdrJournal inDataDirectory(Path dataDirectory) throws IOException {
        return new CdrJournal(dataDirectory.resolve(DIRECTORY_NAME), SEGMENT_BYTES, DEFAULT_MAX_BYTES);
    }

    /**
     * Opens (or creates) the journal in {@code directory}, locks it, and finds what the last
     * process left uncommitted.
     *
     * @param segmentBytes size at which a segment is closed ({@link #SEGMENT_BYTES})
     * @param maxBytes     most bytes of records not yet committed ({@link #DEFAULT_MAX_BYTES})
     * @throws JournalInUseException when another journal has the directory open
     */
    public CdrJournal(Path directory, long segmentBytes, long maxBytes) throws IOException {
        this.directory = Objects.requireNonNull(directory, "directory");
        if (segmentBytes < 1 || maxBytes < segmentBytes) {
            throw new IllegalArgumentException("need 0 < segmentBytes <= maxBytes, got " + segmentBytes
                    + " and " + maxBytes);
        }
        this.segmentBytes = segmentBytes;
        this.maxBytes = maxBytes;
        Files.createDirectories(directory);
        this.lockChannel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new JournalInUseException("the CDR journal in " + directory + " is open elsewhere");
            }
            recover();
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
    }

    private void recover() throws IOException {
        committed = readCommitPoint();
        Files.deleteIfExists(directory.resolve(COMMITTED_FILE + ".tmp"));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, SEGMENT_PREFIX + "*" + SEGMENT_SUFFIX)) {
            for (Path file : files) {
                long number = segmentNumber(file);
                if (number < 0) {
                    continue;
                }
                Segment segment = new Segment(number, file);
                segment.readableEnd = Files.size(file);
                segment.fileBytes = segment.readableEnd;
                segment.sealed = true;
                segments.put(number, segment);
                diskBytes += segment.fileBytes;
            }
        }
        deleteCommittedSegments();
        for (Segment segment : segments.tailMap(committed.segment(), true).values()) {
            long from = segment.number == committed.segment() ? committed.offset() : 0;
            uncommittedLines += countLines(segment.path, from);
        }
        if (uncommittedLines > 0) {
            LOG.info(() -> "CDR journal " + directory + ": " + uncommittedLines
                    + " records from before the restart are not in the database yet; they go first");
        }
    }

    /**
     * Appends {@code records} and forces them to disk; when this returns they survive a crash.
     * On failure nothing is promised (the caller keeps the records and tries again, which may
     * leave some of them in the journal twice; the database keeps them once).
     *
     * @return the position after the last record
     * @throws JournalFullException when the records would take the uncommitted bytes over {@code maxBytes}
     * @throws IOException          when the disk refused; the next append starts a new segment
     */
    public Position append(List<CallRecord> records) throws IOException {
        byte[] bytes = encode(records);
        synchronized (appendLock) {
            if (records.isEmpty()) {
                state.lock();
                try {
                    ensureOpen();
                    return current != null ? new Position(current.number, current.readableEnd) : committed;
                } finally {
                    state.unlock();
                }
            }
            Segment segment = segmentFor(bytes.length);
            long at = segment.readableEnd;
            FileChannel channel = appendChannel;
            try {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                long position = at;
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
                channel.force(true);
            } catch (IOException | RuntimeException e) {
                abandonCurrentSegment();
                throw e;
            }
            state.lock();
            try {
                segment.readableEnd = at + bytes.length;
                segment.fileBytes = segment.readableEnd;
                diskBytes += bytes.length;
                uncommittedLines += records.size();
                appended.signalAll();
                return new Position(segment.number, segment.readableEnd);
            } finally {
                state.unlock();
            }
        }
    }

    /**
     * Up to {@code maxRecords} records that are in the journal but not committed, oldest first.
     * Lines cut short at the end of a segment a crash left, and damaged lines, are passed over.
     */
    public Batch readUncommitted(int maxRecords) throws IOException {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be positive: " + maxRecords);
        }
        Position start;
        List<SegmentView> views = new ArrayList<>();
        state.lock();
        try {
            ensureOpen();
            start = committed;
            for (Segment s : segments.tailMap(start.segment(), true).values()) {
                views.add(new SegmentView(s.number, s.path, s.readableEnd, s.sealed));
            }
        } finally {
            state.unlock();
        }
        List<CallRecord> records = new ArrayList<>();
        Position end = start;
        long lines = 0;
        for (int k = 0; k < views.size(); k++) {
            SegmentView view = views.get(k);
            long from = view.number == start.segment() ? start.offset() : 0;
            end = new Position(view.number, from);
            if (from < view.end) {
                Scan scan = scan(view, from, maxRecords - records.size(), records);
                lines += scan.lines;
                end = new Position(view.number, scan.end);
                if (scan.end < view.end) {
                    break; // the batch is full
                }
            }
            if (!view.sealed || k + 1 == views.size() || records.size() >= maxRecords) {
                break;
            }
            end = new Position(views.get(k + 1).number, 0);
        }
        return new Batch(records, start, end, lines);
    }

    /**
     * All uncommitted records, oldest first, without committing them: what a crash left. For tests
     * and tools, while no writer runs on the journal (and a long outage makes the list large; the
     * writer reads in batches).
     */
    public List<CallRecord> replayUncommitted() throws IOException {
        return readUncommitted(Integer.MAX_VALUE).records();
    }

    /**
     * Records that {@code batch} is in the database: moves the commit point to its end, durably,
     * and deletes the segments wholly before the point.
     *
     * @throws IllegalStateException when the batch was not read from the current commit point
     * @throws IOException           when the commit point could not be written; the batch stays
     *                               uncommitted (and will be read again)
     */
    public void commit(Batch batch) throws IOException {
        synchronized (commitLock) {
            state.lock();
            try {
                ensureOpen();
                if (!batch.start().equals(committed)) {
                    throw new IllegalStateException("batch read from " + batch.start() + " but the commit point is "
                            + committed);
                }
            } finally {
                state.unlock();
            }
            if (!batch.advances()) {
                return;
            }
            writeCommitPoint(batch.end());
            state.lock();
            try {
                committed = batch.end();
                uncommittedLines = Math.max(0, uncommittedLines - batch.lines());
            } finally {
                state.unlock();
            }
            deleteCommittedSegments();
        }
    }

    /** Whether records wait beyond the commit point (cheap: no disk access). */
    public boolean hasUncommitted() {
        state.lock();
        try {
            return hasUncommittedLocked();
        } finally {
            state.unlock();
        }
    }

    /** Waits until {@link #hasUncommitted()} or the timeout; returns {@link #hasUncommitted()}. */
    public boolean awaitUncommitted(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        state.lock();
        try {
            while (!closed && !hasUncommittedLocked() && nanos > 0) {
                nanos = appended.awaitNanos(nanos);
            }
            return hasUncommittedLocked();
        } finally {
            state.unlock();
        }
    }

    /** Lines beyond the commit point: records not in the database yet (and any damaged lines among them). */
    public long uncommittedRecords() {
        state.lock();
        try {
            return uncommittedLines;
        } finally {
            state.unlock();
        }
    }

    /** Bytes of records not in the database yet, at most {@code maxBytes}. */
    public long uncommittedBytes() {
        state.lock();
        try {
            return uncommittedBytesLocked();
        } finally {
            state.unlock();
        }
    }

    /**
     * Bytes the segments take on disk: the {@linkplain #uncommittedBytes() uncommitted} ones, plus
     * the committed part of the segment being written (at most {@link #SEGMENT_BYTES}).
     */
    public long diskBytes() {
        state.lock();
        try {
            return diskBytes;
        } finally {
            state.unlock();
        }
    }

    /** Damaged lines passed over since the journal was opened, each counted and logged once. */
    public long damagedLines() {
        state.lock();
        try {
            return damagedLines;
        } finally {
            state.unlock();
        }
    }

    /** Lines cut short by a crash passed over since the journal was opened, each counted once. */
    public long tornLines() {
        state.lock();
        try {
            return tornLines;
        } finally {
            state.unlock();
        }
    }

    public Path directory() {
        return directory;
    }

    /**
     * Closes the files and releases the directory. Writes nothing: every append was forced when
     * it returned, so closing and a crash leave the same journal.
     */
    @Override
    public void close() throws IOException {
        state.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            appended.signalAll();
        } finally {
            state.unlock();
        }
        FileChannel channel = appendChannel;
        try {
            if (channel != null) {
                channel.close();
            }
        } finally {
            lockChannel.close(); // releases the file lock
        }
    }

    // ---- appending

    private static byte[] encode(List<CallRecord> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(records.size() * 512);
        CRC32C crc = new CRC32C();
        for (CallRecord record : records) {
            byte[] text = CallRecordLine.format(record).getBytes(StandardCharsets.US_ASCII);
            if (text.length + CRC_CHARS + 2 > MAX_LINE_BYTES) {
                throw new IllegalStateException("record line of " + text.length + " bytes; CallRecord's limits keep it"
                        + " far below " + MAX_LINE_BYTES);
            }
            crc.reset();
            crc.update(text);
            long sum = crc.getValue();
            for (int shift = 28; shift >= 0; shift -= 4) {
                out.write(HEX[(int) (sum >> shift) & 0xf]);
            }
            out.write(' ');
            out.write(text, 0, text.length);
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** The segment to append {@code bytes} to: the current one, or a new one when it is full. */
    private Segment segmentFor(int bytes) throws IOException {
        state.lock();
        try {
            ensureOpen();
            long waiting = uncommittedBytesLocked();
            if (waiting + bytes > maxBytes) {
                throw new JournalFullException("the CDR journal in " + directory + " holds " + waiting
                        + " bytes of CDRs not yet in the database; the limit is " + maxBytes);
            }
        } finally {
            state.unlock();
        }
        if (current != null && (current.readableEnd == 0 || current.readableEnd + bytes <= segmentBytes)) {
            return current;
        }
        if (current != null) {
            FileChannel old = appendChannel;
            state.lock();
            try {
                current.sealed = true;
            } finally {
                state.unlock();
            }
            current = null;
            appendChannel = null;
            closeQuietly(old);
        }
        long number;
        state.lock();
        try {
            number = Math.max(segments.isEmpty() ? 0 : segments.lastKey(), committed.segment()) + 1;
        } finally {
            state.unlock();
        }
        Segment segment = new Segment(number, directory.resolve(String.format("%s%016d%s", SEGMENT_PREFIX, number,
                SEGMENT_SUFFIX)));
        FileChannel channel = FileChannel.open(segment.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        forceDirectory(); // the new file's name must survive a crash as well as its contents
        state.lock();
        try {
            if (closed) {
                closeQuietly(channel);
                ensureOpen();
            }
            segments.put(number, segment);
        } finally {
            state.unlock();
        }
        current = segment;
        appendChannel = channel;
        return segment;
    }

    /**
     * After a failed write: the current segment ends, for readers, where the last successful
     * append ended; whatever the failed write left after that is read only after a restart.
     */
    private void abandonCurrentSegment() {
        Segment segment = current;
        FileChannel channel = appendChannel;
        current = null;
        appendChannel = null;
        closeQuietly(channel);
        long size;
        try {
            size = Files.size(segment.path);
        } catch (IOException e) {
            size = segment.fileBytes;
        }
        state.lock();
        try {
            segment.sealed = true;
            diskBytes += Math.max(0, size - segment.fileBytes);
            segment.fileBytes = Math.max(size, segment.fileBytes);
        } finally {
            state.unlock();
        }
    }

    // ---- reading

    private record SegmentView(long number, Path path, long end, boolean sealed) {
    }

    private record Scan(long end, long lines) {
    }

    /**
     * Reads lines of {@code view} from {@code from}, adding at most {@code room} records to
     * {@code out}. Returns the offset after the last line passed and the lines passed.
     */
    private Scan scan(SegmentView view, long from, int room, List<CallRecord> out) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(view.path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            LOG.severe(() -> "CDR journal segment " + view.path + " has disappeared; the records in it after offset "
                    + from + " are lost");
            return new Scan(view.end, 0);
        }
        try (channel) {
            ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
            byte[] line = new byte[1024];
            int length = 0;
            boolean overlong = false;
            long position = from;
            long lineStart = from;
            long lines = 0;
            int added = 0;
            reading:
            while (position < view.end) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), view.end - position));
                int n = channel.read(buffer, position);
                if (n < 0) {
                    break; // shorter than it was: treated as the end
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    position++;
                    if (b != '\n') {
                        if (length == line.length && !overlong) {
                            if (length == MAX_LINE_BYTES) {
                                overlong = true;
                            } else {
                                line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, length * 2));
                            }
                        }
                        if (!overlong) {
                            line[length++] = b;
                        }
                        continue;
                    }
                    lines++;
                    CallRecord record = overlong ? damaged(view, lineStart, line, length, "longer than "
                            + MAX_LINE_BYTES + " bytes") : decode(view, lineStart, line, length);
                    if (record != null) {
                        out.add(record);
                        added++;
                    }
                    lineStart = position;
                    length = 0;
                    overlong = false;
                    if (added == room) {
                        break reading;
                    }
                }
            }
            if (added < room && lineStart < view.end && view.sealed) {
                if (firstReport(new Position(view.number, lineStart))) {
                    long torn = view.end - lineStart;
                    LOG.warning(() -> "CDR journal segment " + view.path + " ends in " + torn
                            + " bytes without a line end, a write cut short by a crash; passed over");
                }
                return new Scan(view.end, lines);
            }
            return new Scan(lineStart, lines);
        }
    }

    private CallRecord decode(SegmentView view, long offset, byte[] line, int length) {
        if (length < CRC_CHARS + 2 || line[CRC_CHARS] != ' ') {
            return damaged(view, offset, line, length, "no checksum");
        }
        long expected = 0;
        for (int i = 0; i < CRC_CHARS; i++) {
            int digit = Character.digit(line[i], 16);
            if (digit < 0) {
                return damaged(view, offset, line, length, "no checksum");
            }
            expected = expected << 4 | digit;
        }
        CRC32C crc = new CRC32C();
        crc.update(line, CRC_CHARS + 1, length - CRC_CHARS - 1);
        if (crc.getValue() != expected) {
            return damaged(view, offset, line, length, "checksum mismatch");
        }
        try {
            return CallRecordLine.parse(new String(line, CRC_CHARS + 1, length - CRC_CHARS - 1,
                    StandardCharsets.US_ASCII));
        } catch (MalformedCallRecordException e) {
            return damaged(view, offset, line, length, e.getMessage());
        }
    }

    private CallRecord damaged(SegmentView view, long offset, byte[] line, int length, String why) {
        state.lock();
        try {
            if (!reported.add(new Position(view.number, offset))) {
                return null;
            }
            damagedLines++;
        } finally {
            state.unlock();
        }
        String text = quote(line, length);
        LOG.log(Level.SEVERE, () -> "CDR journal segment " + view.path + " offset " + offset + ": damaged line ("
                + why + ") passed over; its text, for recovery by hand: " + text);
        return null;
    }

    /** Counts a torn line at {@code at} unless it was counted before; true the first time. */
    private boolean firstReport(Position at) {
        state.lock();
        try {
            if (!reported.add(at)) {
                return false;
            }
            tornLines++;
            return true;
        } finally {
            state.unlock();
        }
    }

    /**
     * Printable ASCII as is (a record line is all printable), other bytes as {@code \xNN}, cut at
     * {@value #MAX_QUOTED_BYTES} bytes.
     */
    private static String quote(byte[] bytes, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(length, MAX_QUOTED_BYTES); i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f) {
                out.append((char) b);
            } else {
                out.append("\\x").append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        return length > MAX_QUOTED_BYTES ? out.append("...").toString() : out.toString();
    }

    private static long countLines(Path file, long from) throws IOException {
        long lines = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
            long position = from;
            int n;
            while ((n = channel.read(buffer.clear(), position)) > 0) {
                position += n;
                for (int i = 0; i < n; i++) {
                    if (buffer.get(i) == '\n') {
                        lines++;
                    }
                }
            }
        }
        return lines;
    }

    // ---- commit point

    private Position readCommitPoint() throws IOException {
        Path file = directory.resolve(COMMITTED_FILE);
        if (!Files.exists(file)) {
            return Position.START;
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        String[] parts = text.split(" ");
        try {
            if (parts.length == 2) {
                Position point = new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
                if (point.segment() >= 0 && point.offset() >= 0) {
                    return point;
                }
            }
        } catch (NumberFormatException e) {
            // below
        }
        LOG.severe(() -> "CDR journal commit point " + file + " is unreadable (" + quote(text.getBytes(
                StandardCharsets.ISO_8859_1), text.length()) + "); every record in the journal goes to the database"
                + " again, where those already stored are skipped");
        return Position.START;
    }

    private void writeCommitPoint(Position point) throws IOException {
        Path file = directory.resolve(COMMITTED_FILE);
        Path tmp = directory.resolve(COMMITTED_FILE + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer text = ByteBuffer.wrap((point.segment() + " " + point.offset() + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            while (text.hasRemaining()) {
                channel.write(text);
            }
            channel.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // a crash in between leaves no commit point: everything is sent again and skipped as stored
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory();
    }

    /** Deletes the sealed segments before the commit point; one that cannot be deleted is tried next time. */
    private void deleteCommittedSegments() {
        List<Segment> done = new ArrayList<>();
        state.lock();
        try {
            for (Map.Entry<Long, Segment> e : segments.headMap(committed.segment(), false).entrySet()) {
                if (e.getValue().sealed) {
                    done.add(e.getValue());
                }
            }
        } finally {
            state.unlock();
        }
        for (Segment segment : done) {
            try {
                Files.deleteIfExists(segment.path);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot delete committed CDR journal segment " + segment.path
                        + "; trying again after the next commit", e);
                continue;
            }
            state.lock();
            try {
                segments.remove(segment.number);
                diskBytes -= segment.fileBytes;
            } finally {
                state.unlock();
            }
        }
    }

    // ---- helpers

    private long uncommittedBytesLocked() {
        long bytes = 0;
        for (Segment s : segments.tailMap(committed.segment(), true).values()) {
            bytes += s.readableEnd - (s.number == committed.segment() ? Math.min(committed.offset(), s.readableEnd) : 0);
        }
        return bytes;
    }

    private boolean hasUncommittedLocked() {
        if (segments.isEmpty()) {
            return false;
        }
        Segment last = segments.lastEntry().getValue();
        return committed.compareTo(new Position(last.number, last.readableEnd)) < 0;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the CDR journal in " + directory + " is closed");
        }
    }

    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory (Windows); their file systems order these writes themselves.
            LOG.log(Level.FINE, "cannot force directory " + directory, e);
        }
    }

    private static long segmentNumber(Path file) {
        String name = file.getFileName().toString();
        String digits = name.substring(SEGMENT_PREFIX.length(), name.length() - SEGMENT_SUFFIX.length());
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > 18) {
            return -1;
        }
        return Long.parseLong(digits);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing a CDR journal segment", e);
        }
    }

    /** A segment file; fields other than number and path are guarded by {@code state}. */
    private static final class Segment {
        final long number;
        final Path path;
        /** For readers: the end of the forced lines (the file's end for a previous process's segment). */
        long readableEnd;
        /** Bytes counted in diskBytes. */
        long fileBytes;
        /** No more appends: readers may pass its end to the next segment. */
        boolean sealed;

        Segment(long number, Path path) {
            this.number = number;
            this.path = path;
        }
    }
}
