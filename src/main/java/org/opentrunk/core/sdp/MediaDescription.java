package org.opentrunk.core.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One media description of a session description: its {@code m=} line and the lines that follow
 * it up to the next {@code m=} line ({@code c=}, {@code b=}, {@code a=} ...), in order.
 *
 * <p>Immutable. The {@code m=} line is kept as received and only rewritten, in canonical form
 * ({@code m=<media> <port>[/<n>] <proto> <fmt> ...}, single spaces), when its port or format list
 * is changed; the other lines are kept as received unless removed.
 */
public final class MediaDescription {

    /** Highest port number; {@code m=} lines with a larger one are refused. */
    public static final int MAX_PORT = 65535;

    /**
     * Most formats on one {@code m=} line: the whole RTP payload type space (7 bits). Real lines
     * list a few to a few dozen; the cap keeps the work per body small whatever a sender lists.
     */
    public static final int MAX_FORMATS = 128;

    /** Attributes whose first field is a format, removed together with the format (RFC 4566, RFC 4585). */
    static final List<String> FORMAT_ATTRIBUTES = List.of("rtpmap", "fmtp", "rtcp-fb");

    private final SdpLine mediaLine;
    private final String media;
    private final int port;
    private final int numberOfPorts;
    private final String proto;
    private final List<String> formats;
    private final List<SdpLine> lines;
    /** The value of the first {@code a=rtpmap} line of each format, looked up once per format and policy. */
    private final Map<String, String> rtpmaps;

    private MediaDescription(SdpLine mediaLine, String media, int port, int numberOfPorts, String proto,
            List<String> formats, List<SdpLine> lines) {
        this.mediaLine = mediaLine;
        this.media = media;
        this.port = port;
        this.numberOfPorts = numberOfPorts;
        this.proto = proto;
        this.formats = List.copyOf(formats);
        this.lines = List.copyOf(lines);
        Map<String, String> rtpmaps = new HashMap<>();
        for (SdpLine line : this.lines) {
            if (line.isAttribute("rtpmap")) {
                String value = line.attributeValue().orElse("");
                rtpmaps.putIfAbsent(firstField(value), value);
            }
        }
        this.rtpmaps = rtpmaps;
    }

    /**
     * Parses the value of an {@code m=} line and takes the lines that follow it.
     *
     * @param lineNumber where the {@code m=} line is in the body, for the exception message
     */
    static MediaDescription parse(SdpLine mediaLine, List<SdpLine> lines, int lineNumber) throws MalformedSdpException {
        String value = mediaLine.value();
        String[] fields = SdpText.fields(value);
        if (fields.length < 4) {
            throw badMediaLine(lineNumber, value, "expected m=<media> <port>[/<n>] <proto> <fmt> ...");
        }
        if (!SdpText.isToken(fields[0])) {
            throw badMediaLine(lineNumber, value, "the media type is not a token");
        }
        String[] port = fields[1].split("/", -1);
        if (port.length > 2 || !isPort(port[0])) {
            throw badMediaLine(lineNumber, value, "the port is not a number from 0 to " + MAX_PORT);
        }
        int numberOfPorts = 0;
        if (port.length == 2) {
            if (!isPort(port[1]) || Integer.parseInt(port[1]) == 0) {
                throw badMediaLine(lineNumber, value, "the number of ports is not a number from 1 to " + MAX_PORT);
            }
            numberOfPorts = Integer.parseInt(port[1]);
        }
        for (String part : fields[2].split("/", -1)) {
            if (!SdpText.isToken(part)) {
                throw badMediaLine(lineNumber, value, "the transport protocol is not tokens separated by /");
            }
        }
        if (fields.length - 3 > MAX_FORMATS) {
            throw badMediaLine(lineNumber, value, "more than " + MAX_FORMATS + " formats");
        }
        List<String> formats = new ArrayList<>();
        for (int i = 3; i < fields.length; i++) {
            if (!SdpText.isToken(fields[i])) {
                throw badMediaLine(lineNumber, value, "format " + (i - 2) + " is not a token");
            }
            formats.add(fields[i]);
        }
        return new MediaDescription(mediaLine, fields[0], Integer.parseInt(port[0]), numberOfPorts, fields[2],
                formats, lines);
    }

    private static boolean isPort(String s) {
        return SdpText.isDigits(s) && s.length() <= 5 && Integer.parseInt(s) <= MAX_PORT;
    }

    private static MalformedSdpException badMediaLine(int lineNumber, String value, String why) {
        return new MalformedSdpException(MalformedSdpException.Problem.BAD_MEDIA_LINE, lineNumber,
                "m=" + SdpText.quote(value) + ": " + why);
    }

    /** The media type: {@code audio}, {@code video}, {@code image}, {@code application} ... */
    public String media() {
        return media;
    }

    /** The transport port; 0 for a stream that is disabled or rejected (RFC 3264 sections 5.1, 6). */
    public int port() {
        return port;
    }

    /** The {@code /<n>} after the port, when present. */
    public OptionalInt numberOfPorts() {
        return numberOfPorts == 0 ? OptionalInt.empty() : OptionalInt.of(numberOfPorts);
    }

    /** The transport protocol: {@code RTP/AVP}, {@code RTP/SAVP}, {@code udptl} ... */
    public String proto() {
        return proto;
    }

    /** The formats in the sender's order of preference: RTP payload type numbers, {@code t38} ... Never empty. */
    public List<String> formats() {
        return formats;
    }

    /** The {@code m=} line, as received unless changed. */
    public SdpLine mediaLine() {
        return mediaLine;
    }

    /** The lines after the {@code m=} line, in order. */
    public List<SdpLine> lines() {
        return lines;
    }

    /** The {@code m=} line followed by {@link #lines()}. */
    public List<SdpLine> allLines() {
        List<SdpLine> all = new ArrayList<>(lines.size() + 1);
        all.add(mediaLine);
        all.addAll(lines);
        return all;
    }

    /** True unless the port is 0. */
    public boolean isActive() {
        return port != 0;
    }

    /** True for {@code audio} streams (media type compared ignoring case). */
    public boolean isAudio() {
        return media.equalsIgnoreCase("audio");
    }

    /**
     * True when the transport is RTP (any RTP profile: {@code RTP/AVP}, {@code RTP/SAVPF},
     * {@code UDP/TLS/RTP/SAVP} ...), so that formats are RTP payload types.
     */
    public boolean isRtp() {
        return ("/" + proto.toUpperCase(Locale.ROOT) + "/").contains("/RTP/");
    }

    /** The {@code a=} lines named {@code name} (ignoring case), in order. */
    public List<SdpLine> attributes(String name) {
        return lines.stream().filter(line -> line.isAttribute(name)).toList();
    }

    /** The value of the first {@code a=} line named {@code name}, if there is one with a value. */
    public Optional<String> attribute(String name) {
        return lines.stream().filter(line -> line.isAttribute(name)).findFirst().flatMap(SdpLine::attributeValue);
    }

    /**
     * The first {@code a=rtpmap} for {@code format}, when there is one; empty when there is none or
     * it cannot be read (see {@link RtpMap#parse}). Use {@link #hasRtpMap} to tell the two apart.
     */
    public Optional<RtpMap> rtpmap(String format) {
        String value = rtpmaps.get(format);
        return value == null ? Optional.empty() : RtpMap.parse(value);
    }

    /** True when some {@code a=rtpmap} line is for {@code format}, readable or not. */
    public boolean hasRtpMap(String format) {
        return rtpmaps.containsKey(format);
    }

    private static String firstField(String value) {
        String[] fields = SdpText.fields(value);
        return fields.length == 0 ? "" : fields[0];
    }

    /**
     * This description with port {@code port}. When the port changes the {@code m=} line is
     * rewritten; a port of 0 drops the {@code /<n>} number of ports, which a disabled stream has no use for.
     */
    public MediaDescription withPort(int port) {
        if (port < 0 || port > MAX_PORT) {
            throw new IllegalArgumentException("port must be 0 to " + MAX_PORT + ", got " + port);
        }
        if (port == this.port) {
            return this;
        }
        return rebuilt(port, port == 0 ? 0 : numberOfPorts, formats, lines);
    }

    /**
     * This description with the format list {@code keep}, in that order, and without the
     * {@code a=rtpmap}, {@code a=fmtp} and {@code a=rtcp-fb} lines of the formats it no longer has.
     * All other lines stay. Returns this description when the list does not change.
     *
     * @throws IllegalArgumentException when {@code keep} is empty (an {@code m=} line needs a
     *                                  format, even on a disabled stream) or holds a non-token
     */
    public MediaDescription retainFormats(List<String> keep) {
        if (keep.isEmpty()) {
            throw new IllegalArgumentException("an m= line needs at least one format");
        }
        for (String format : keep) {
            if (!SdpText.isToken(Objects.requireNonNull(format, "format"))) {
                throw new IllegalArgumentException("a format is a token, got " + SdpText.quote(format));
            }
        }
        if (keep.equals(formats)) {
            return this;
        }
        Set<String> dropped = new HashSet<>(formats);
        dropped.removeAll(keep);
        List<SdpLine> kept = new ArrayList<>(lines.size());
        for (SdpLine line : lines) {
            if (!isFormatAttributeOf(line, dropped)) {
                kept.add(line);
            }
        }
        return rebuilt(port, numberOfPorts, keep, kept);
    }

    private static boolean isFormatAttributeOf(SdpLine line, Set<String> formats) {
        if (!line.isAttribute()) {
            return false;
        }
        for (String name : FORMAT_ATTRIBUTES) {
            if (line.isAttribute(name)) {
                return formats.contains(firstField(line.attributeValue().orElse("")));
            }
        }
        return false;
    }

    /**
     * This description with {@code lines} after its {@code m=} line.
     *
     * @throws IllegalArgumentException when a line is an {@code m=}, {@code v=} or {@code o=} line,
     *                                  which do not belong inside a media description
     */
    public MediaDescription withLines(List<SdpLine> lines) {
        for (SdpLine line : lines) {
            char type = line.type();
            if (type == 'm' || type == 'v' || type == 'o') {
                throw new IllegalArgumentException("a media description cannot contain " + type + "= lines");
            }
        }
        return lines.equals(this.lines) ? this : new MediaDescription(mediaLine, media, port, numberOfPorts, proto,
                formats, lines);
    }

    private MediaDescription rebuilt(int port, int numberOfPorts, List<String> formats, List<SdpLine> lines) {
        StringBuilder value = new StringBuilder(media).append(' ').append(port);
        if (numberOfPorts != 0) {
            value.append('/').append(numberOfPorts);
        }
        value.append(' ').append(proto);
        for (String format : formats) {
            value.append(' ').append(format);
        }
        return new MediaDescription(new SdpLine('m', value.toString()), media, port, numberOfPorts, proto, formats,
                lines);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MediaDescription other && mediaLine.equals(other.mediaLine) && lines.equals(other.lines);
    }

    @Override
    public int hashCode() {
        return 31 * mediaLine.hashCode() + lines.hashCode();
    }

    /** The lines as sent, each ending in CRLF. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (SdpLine line : allLines()) {
            out.append(line).append(SessionDescription.CRLF);
        }
        return out.toString();
    }
}
