package org.opentrunk.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A SIP message as a test sees it: start line, headers in order, body. Parsing is lenient. */
public final class SipMessage {

    private static final Map<String, String> COMPACT = Map.of("v", "via", "f", "from", "t", "to",
            "i", "call-id", "m", "contact", "l", "content-length", "c", "content-type", "k", "supported",
            "s", "subject", "e", "content-encoding");

    private final String startLine;
    private final List<String[]> headers;
    private final String body;

    private SipMessage(String startLine, List<String[]> headers, String body) {
        this.startLine = startLine;
        this.headers = headers;
        this.body = body;
    }

    public static SipMessage parse(byte[] data, int length) {
        String text = new String(data, 0, length, StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        String head = split < 0 ? text : text.substring(0, split);
        String body = split < 0 ? "" : text.substring(split + 4);
        String[] lines = head.split("\r\n");
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.add(new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
            }
        }
        return new SipMessage(lines[0], headers, body);
    }

    public String startLine() {
        return startLine;
    }

    public boolean isResponse() {
        return startLine.startsWith("SIP/2.0 ");
    }

    /** Status code of a response, or -1 for a request. */
    public int status() {
        return isResponse() ? Integer.parseInt(startLine.substring(8, 11)) : -1;
    }

    /** Method of a request, or the CSeq method of a response. */
    public String method() {
        if (!isResponse()) {
            return startLine.substring(0, startLine.indexOf(' '));
        }
        String cseq = header("CSeq").orElse("0 ?");
        return cseq.substring(cseq.indexOf(' ') + 1).trim();
    }

    public String requestUri() {
        String[] parts = startLine.split(" ");
        return parts.length > 1 ? parts[1] : "";
    }

    public Optional<String> header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public List<String> headers(String name) {
        String wanted = canonical(name);
        List<String> values = new ArrayList<>();
        for (String[] h : headers) {
            if (canonical(h[0]).equals(wanted)) {
                values.add(h[1]);
            }
        }
        return values;
    }

    public String body() {
        return body;
    }

    /** The tag parameter of the To header, or empty. */
    public String toTag() {
        return tag(header("To").orElse(""));
    }

    public String fromTag() {
        return tag(header("From").orElse(""));
    }

    private static String tag(String nameAddr) {
        int at = nameAddr.indexOf(";tag=");
        if (at < 0) {
            return "";
        }
        String rest = nameAddr.substring(at + 5);
        int end = rest.indexOf(';');
        return end < 0 ? rest.trim() : rest.substring(0, end).trim();
    }

    /** The URI inside the Contact header (what in-dialog requests are sent to). */
    public String contactUri() {
        String contact = header("Contact").orElseThrow(() -> new AssertionError("no Contact in " + this));
        int lt = contact.indexOf('<');
        return lt < 0 ? contact.split(";")[0].trim() : contact.substring(lt + 1, contact.indexOf('>'));
    }

    /**
     * A response to this request, as a UAS writes it: Via, From, Call-ID and CSeq copied, the To
     * tag added (pass null for a 100 Trying).
     */
    public String response(int status, String reason, String toTag, String extraHeaders, String body) {
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(status).append(' ').append(reason).append("\r\n");
        headers("Via").forEach(v -> b.append("Via: ").append(v).append("\r\n"));
        b.append("From: ").append(header("From").orElse("")).append("\r\n");
        String to = header("To").orElse("");
        b.append("To: ").append(to).append(toTag == null || to.contains(";tag=") ? "" : ";tag=" + toTag).append("\r\n");
        b.append("Call-ID: ").append(header("Call-ID").orElse("")).append("\r\n");
        b.append("CSeq: ").append(header("CSeq").orElse("")).append("\r\n");
        b.append(extraHeaders);
        if (!body.isEmpty()) {
            b.append("Content-Type: application/sdp\r\n");
        }
        b.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n").append(body);
        return b.toString();
    }

    private static String canonical(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return COMPACT.getOrDefault(lower, lower);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(startLine).append("\r\n");
        headers.forEach(h -> b.append(h[0]).append(": ").append(h[1]).append("\r\n"));
        return b.append("\r\n").append(body).toString();
    }
}
