package org.opentrunk.core.sdp;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An SDP session description (RFC 4566) as it travels through OpenTrunk: the session part
 * ({@code v=}, {@code o=}, {@code s=}, {@code c=}, {@code t=}, {@code b=}, {@code a=} ... lines
 * before the first {@code m=}) and its media descriptions, every line kept in order and as
 * received, so that whatever is not changed goes out byte for byte (IC-DIRECT: connection
 * addresses, ports and the origin pass through untouched). Output always ends lines with CRLF.
 *
 * <p>Lenient where real senders differ without harm: LF-only line endings, a missing final line
 * ending, empty lines (dropped), several spaces between fields, type letters and attributes
 * OpenTrunk does not know (kept), session lines in unusual order. Strict where a mistake would
 * change the meaning or cost resources: the size and line count are capped, the body must start
 * with {@code v=0}, have one {@code o=} line with a numeric version (needed to re-offer, RFC 3264
 * section 8) and at least one well-formed {@code m=} line, and no line may hold a NUL or a stray CR.
 * Anything else is a {@link MalformedSdpException}; {@code parse} throws nothing else.
 *
 * <p>Immutable; the {@code with...} methods return changed copies.
 */
public final class SessionDescription {

    /** Largest body accepted: 16 KiB, far above any real offer (a few hundred bytes to a few KiB). */
    public static final int MAX_BYTES = 16 * 1024;

    /** Most lines accepted, empty lines included. */
    public static final int MAX_LINES = 512;

    /** Most media descriptions accepted; a trunk call has one to three. */
    public static final int MAX_MEDIA_DESCRIPTIONS = 32;

    static final String CRLF = "\r\n";

    private final List<SdpLine> sessionLines;
    private final List<MediaDescription> media;
    private final Charset charset;

    private SessionDescription(List<SdpLine> sessionLines, List<MediaDescription> media, Charset charset) {
        this.sessionLines = List.copyOf(sessionLines);
        this.media = List.copyOf(media);
        this.charset = charset;
    }

    /**
     * Parses a body as received. Bytes that are valid UTF-8 (the SDP default) are read as UTF-8,
     * anything else as ISO-8859-1, which maps every byte to one character; either way
     * {@link #toBytes()} gives back the same bytes for every line that is not changed.
     *
     * @throws MalformedSdpException for a null or empty body, more than {@value #MAX_BYTES} bytes,
     *                               or anything this class does not accept
     */
    public static SessionDescription parse(byte[] body) throws MalformedSdpException {
        if (body == null || body.length == 0) {
            throw new MalformedSdpException(MalformedSdpException.Problem.EMPTY, 0, "the body is empty");
        }
        checkSize(body.length);
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
            return parseText(text, StandardCharsets.UTF_8);
        } catch (CharacterCodingException notUtf8) {
            return parseText(new String(body, StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Parses a body already decoded to text; {@link #toBytes()} then encodes as UTF-8. The size
     * cap applies to characters.
     *
     * @throws MalformedSdpException as {@link #parse(byte[])}
     */
    public static SessionDescription parse(String body) throws MalformedSdpException {
        if (body == null || body.isEmpty()) {
            throw new MalformedSdpException(MalformedSdpException.Problem.EMPTY, 0, "the body is empty");
        }
        checkSize(body.length());
        return parseText(body, StandardCharsets.UTF_8);
    }

    private static void checkSize(int size) throws MalformedSdpException {
        if (size > MAX_BYTES) {
            throw new MalformedSdpException(MalformedSdpException.Problem.TOO_LARGE, 0,
                    "the body has " + size + " bytes; at most " + MAX_BYTES + " are accepted");
        }
    }

    private static SessionDescription parseText(String text, Charset charset) throws MalformedSdpException {
        List<SdpLine> session = new ArrayList<>();
        List<MediaDescription> media = new ArrayList<>();
        SdpLine mediaLine = null;
        int mediaLineNumber = 0;
        List<SdpLine> mediaLines = new ArrayList<>();
        boolean sawVersion = false;
        int origins = 0;
        int lineNumber = 0;
        int start = 0;
        while (start < text.length()) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline;
            lineNumber++;
            if (lineNumber > MAX_LINES) {
                throw new MalformedSdpException(MalformedSdpException.Problem.TOO_MANY_LINES, 0,
                        "the body has more than " + MAX_LINES + " lines");
            }
            String raw = text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end);
            start = end + 1;
            if (raw.isEmpty()) {
                continue;
            }
            SdpLine line = line(raw, lineNumber);
            if (!sawVersion) {
                if (line.type() != 'v' || !line.value().strip().equals("0")) {
                    throw new MalformedSdpException(MalformedSdpException.Problem.NO_VERSION, lineNumber,
                            "the first line must be v=0, got " + SdpText.quote(raw));
                }
                sawVersion = true;
                session.add(line);
                continue;
            }
            switch (line.type()) {
                case 'v' -> throw new MalformedSdpException(MalformedSdpException.Problem.BAD_LINE, lineNumber,
                        "a second v= line");
                case 'o' -> {
                    if (mediaLine != null || ++origins > 1) {
                        throw new MalformedSdpException(MalformedSdpException.Problem.BAD_ORIGIN, lineNumber,
                                "a second o= line");
                    }
                    versionSpan(line.value(), lineNumber);
                    session.add(line);
                }
                case 'm' -> {
                    if (mediaLine != null) {
                        media.add(MediaDescription.parse(mediaLine, mediaLines, mediaLineNumber));
                    }
                    if (media.size() == MAX_MEDIA_DESCRIPTIONS) {
                        throw new MalformedSdpException(MalformedSdpException.Problem.TOO_MANY_MEDIA, lineNumber,
                                "more than " + MAX_MEDIA_DESCRIPTIONS + " m= lines");
                    }
                    mediaLine = line;
                    mediaLineNumber = lineNumber;
                    mediaLines = new ArrayList<>();
                }
                default -> (mediaLine == null ? session : mediaLines).add(line);
            }
        }
        if (!sawVersion) {
            throw new MalformedSdpException(MalformedSdpException.Problem.EMPTY, 0, "the body has only empty lines");
        }
        if (origins == 0) {
            throw new MalformedSdpException(MalformedSdpException.Problem.BAD_ORIGIN, 0, "no o= line");
        }
        if (mediaLine == null) {
            throw new MalformedSdpException(MalformedSdpException.Problem.NO_MEDIA, 0, "no m= line");
        }
        media.add(MediaDescription.parse(mediaLine, mediaLines, mediaLineNumber));
        return new SessionDescription(session, media, charset);
    }

    private static SdpLine line(String raw, int lineNumber) throws MalformedSdpException {
        if (raw.indexOf('\r') >= 0 || raw.indexOf('\0') >= 0) {
            throw new MalformedSdpException(MalformedSdpException.Problem.BAD_LINE, lineNumber,
                    "a line with a NUL or a CR that does not end it: " + SdpText.quote(raw));
        }
        char type = raw.charAt(0);
        if (raw.length() < 2 || raw.charAt(1) != '=' || type < 'a' || type > 'z') {
            throw new MalformedSdpException(MalformedSdpException.Problem.BAD_LINE, lineNumber,
                    "expected <lower-case letter>=<value>, got " + SdpText.quote(raw));
        }
        return new SdpLine(type, raw.substring(2));
    }

    /**
     * Where the session version is in the value of an {@code o=} line, {@code <username>
     * <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>}: its {@code [start, end)}.
     */
    private static int[] versionSpan(String origin, int lineNumber) throws MalformedSdpException {
        int[][] fields = SdpText.fieldSpans(origin);
        if (fields.length != 6) {
            throw new MalformedSdpException(MalformedSdpException.Problem.BAD_ORIGIN, lineNumber,
                    "o= needs 6 fields, got " + fields.length + ": " + SdpText.quote(origin));
        }
        if (!SdpText.isDigits(origin.substring(fields[2][0], fields[2][1]))) {
            throw new MalformedSdpException(MalformedSdpException.Problem.BAD_ORIGIN, lineNumber,
                    "the session version in o= is not a number: " + SdpText.quote(origin));
        }
        return fields[2];
    }

    /** The lines before the first {@code m=} line, starting with {@code v=0}. */
    public List<SdpLine> sessionLines() {
        return sessionLines;
    }

    /** The media descriptions, in order; never empty. */
    public List<MediaDescription> media() {
        return media;
    }

    /** Every line, in order. */
    public List<SdpLine> lines() {
        List<SdpLine> all = new ArrayList<>(sessionLines);
        media.forEach(m -> all.addAll(m.allLines()));
        return all;
    }

    /** The {@code o=} line. */
    public SdpLine origin() {
        return sessionLines.stream().filter(line -> line.type() == 'o').findFirst().orElseThrow();
    }

    /** The session version from the {@code o=} line; it may exceed a {@code long}. */
    public BigInteger sessionVersion() {
        String origin = origin().value();
        int[] span = versionSpanOfValid(origin);
        return new BigInteger(origin.substring(span[0], span[1]));
    }

    /**
     * This description with the session version in {@code o=} one higher, the rest of the line
     * unchanged: RFC 3264 section 8 requires it whenever OpenTrunk sends a changed description in
     * a session where it has already sent one (a re-offer after filtering differently, say).
     */
    public SessionDescription withIncrementedVersion() {
        List<SdpLine> lines = new ArrayList<>(sessionLines);
        for (int i = 0; i < lines.size(); i++) {
            SdpLine line = lines.get(i);
            if (line.type() == 'o') {
                String origin = line.value();
                int[] span = versionSpanOfValid(origin);
                BigInteger next = new BigInteger(origin.substring(span[0], span[1])).add(BigInteger.ONE);
                lines.set(i, new SdpLine('o', origin.substring(0, span[0]) + next + origin.substring(span[1])));
            }
        }
        return new SessionDescription(lines, media, charset);
    }

    private static int[] versionSpanOfValid(String origin) {
        try {
            return versionSpan(origin, 0);
        } catch (MalformedSdpException e) {
            throw new IllegalStateException("checked when parsed", e);
        }
    }

    /** This description with media description {@code index} replaced. */
    public SessionDescription withMedia(int index, MediaDescription replacement) {
        Objects.requireNonNull(replacement, "replacement");
        if (media.get(index).equals(replacement)) {
            return this;
        }
        List<MediaDescription> changed = new ArrayList<>(media);
        changed.set(index, replacement);
        return new SessionDescription(sessionLines, changed, charset);
    }

    /**
     * This description with {@code media} as its media descriptions. Offer/answer needs the number
     * and order of {@code m=} lines kept (RFC 3264 section 8), so this is for building an answer or
     * a first offer, not for editing one.
     *
     * @throws IllegalArgumentException when {@code media} is empty or has more than {@value #MAX_MEDIA_DESCRIPTIONS}
     */
    public SessionDescription withMedia(List<MediaDescription> media) {
        if (media.isEmpty() || media.size() > MAX_MEDIA_DESCRIPTIONS) {
            throw new IllegalArgumentException("a session description has 1 to " + MAX_MEDIA_DESCRIPTIONS
                    + " media descriptions, got " + media.size());
        }
        return media.equals(this.media) ? this : new SessionDescription(sessionLines, media, charset);
    }

    /**
     * This description with {@code lines} as its session part, the media descriptions unchanged:
     * for a media relay that must put its own address in the session-level {@code c=} line. The
     * {@code v=} and {@code o=} lines cannot change here (use {@link #withIncrementedVersion()}).
     *
     * @throws IllegalArgumentException when {@code lines} does not start with this description's
     *                                  {@code v=} line, does not hold its {@code o=} line exactly once,
     *                                  or holds another {@code v=}, {@code o=} or an {@code m=} line
     */
    public SessionDescription withSessionLines(List<SdpLine> lines) {
        if (lines.isEmpty() || !lines.get(0).equals(sessionLines.get(0))) {
            throw new IllegalArgumentException("the session part must start with " + sessionLines.get(0));
        }
        SdpLine origin = origin();
        int origins = 0;
        for (int i = 1; i < lines.size(); i++) {
            SdpLine line = lines.get(i);
            if (line.type() == 'v' || line.type() == 'm' || (line.type() == 'o' && !line.equals(origin))) {
                throw new IllegalArgumentException("the session part cannot gain a " + line.type() + "= line");
            }
            origins += line.type() == 'o' ? 1 : 0;
        }
        if (origins != 1) {
            throw new IllegalArgumentException("the session part must keep its o= line once");
        }
        return lines.equals(sessionLines) ? this : new SessionDescription(lines, media, charset);
    }

    /** How {@link #toBytes()} encodes: UTF-8, or ISO-8859-1 for a body that was not valid UTF-8. */
    public Charset charset() {
        return charset;
    }

    /** The body to send: every line followed by CRLF, in {@link #charset()}. */
    public byte[] toBytes() {
        return toString().getBytes(charset);
    }

    /** The body as text: every line followed by CRLF. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (SdpLine line : lines()) {
            out.append(line).append(CRLF);
        }
        return out.toString();
    }

    /** Same lines in the same order; the charset is not compared. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SessionDescription other && sessionLines.equals(other.sessionLines)
                && media.equals(other.media);
    }

    @Override
    public int hashCode() {
        return 31 * sessionLines.hashCode() + media.hashCode();
    }
}
