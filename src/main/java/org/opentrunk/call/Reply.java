package org.opentrunk.call;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A SIP response as the call sees it, in both directions: one a party sent (only the headers the
 * call reads, {@link Call#RESPONSE_HEADERS_READ}) or one the call sends (everything it carries).
 * The body is the raw SDP, byte for byte: SDP goes through unchanged unless a policy rewrites it.
 *
 * @param status       the status code
 * @param reasonPhrase the reason phrase; may be empty
 * @param headers      header values by name, in the order they were added
 * @param body         the body, or null for none
 * @param contentType  the body's type, or null without body
 */
public record Reply(int status, String reasonPhrase, Map<String, List<String>> headers, byte[] body,
                    String contentType) {

    public Reply {
        reasonPhrase = Objects.requireNonNullElse(reasonPhrase, "");
        headers = Map.copyOf(headers);
        if (body != null && body.length == 0) {
            body = null;
        }
    }

    /** A response without headers and body. */
    public static Reply of(int status, String reasonPhrase) {
        return new Reply(status, reasonPhrase, Map.of(), null, null);
    }

    /** This response with {@code sdp} as its body (none when null or empty). */
    public Reply withSdp(byte[] sdp) {
        return new Reply(status, reasonPhrase, headers, sdp, sdp == null || sdp.length == 0 ? null : OutgoingRequest.SDP);
    }

    /** This response with one more header value. */
    public Reply withHeader(String name, String value) {
        Map<String, List<String>> more = new LinkedHashMap<>(headers);
        more.merge(name, List.of(value), (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
        return new Reply(status, reasonPhrase, more, body, contentType);
    }

    public boolean isProvisional() {
        return status < 200;
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public boolean isFinal() {
        return status >= 200;
    }

    public boolean hasBody() {
        return body != null;
    }

    /** The first value of header {@code name} (as the map's key is spelled), or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every value of header {@code name}; empty when absent. */
    public List<String> values(String name) {
        return headers.getOrDefault(name, List.of());
    }

    @Override
    public String toString() {
        return status + " " + reasonPhrase + (body == null ? "" : " (" + body.length + " bytes of " + contentType + ")");
    }
}
