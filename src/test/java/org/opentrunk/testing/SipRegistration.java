package org.opentrunk.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A PBX registering with OpenTrunk's registrar as real ones do: a REGISTER, the 401 challenge,
 * the same REGISTER again (same Call-ID, next CSeq) with digest credentials.
 */
public final class SipRegistration {

    private SipRegistration() {
    }

    /**
     * Registers {@code contact} ({@code "*"} for the wildcard) for {@code user} in {@code domain};
     * returns the registrar's final answer to the authenticated REGISTER.
     *
     * @throws AssertionError when the first REGISTER is not challenged with 401
     */
    public static SipMessage register(SipTestClient pbx, String domain, String user, String password, String contact,
                                      String extraHeaders, Duration wait) throws Exception {
        String first = request(pbx, domain, user, contact, extraHeaders, "");
        SipMessage challenge = pbx.request(first, wait);
        if (challenge.status() != 401) {
            throw new AssertionError("a registrar challenges with 401: " + challenge);
        }
        String authorization = "Authorization: " + DigestClient.answer(challenge.headers("WWW-Authenticate").get(0),
                "REGISTER", "sip:" + domain, user, password, 1) + "\r\n";
        byte[] bytes = first.getBytes(StandardCharsets.UTF_8);
        String callId = SipMessage.parse(bytes, bytes.length).header("Call-ID").orElseThrow();
        return pbx.request(request(pbx, domain, user, contact, extraHeaders, authorization)
                .replace("CSeq: 1 REGISTER", "CSeq: 2 REGISTER")
                .replaceFirst("Call-ID: [^\r]*", "Call-ID: " + callId), wait);
    }

    /** An unauthenticated REGISTER of {@code contact} for {@code user@domain}, with {@code authorization} appended. */
    public static String request(SipTestClient pbx, String domain, String user, String contact, String extraHeaders,
                                 String authorization) {
        String aor = "sip:" + user + "@" + domain;
        String text = pbx.newRequest("REGISTER", "sip:" + domain, extraHeaders + authorization, "");
        text = text.replaceFirst("From: <[^>]*>", "From: <" + aor + ">").replaceFirst("To: <[^>]*>", "To: <" + aor + ">");
        return text.replaceFirst("Contact: [^\r]*", "Contact: " + (contact.equals("*") ? "*" : "<" + contact + ">"));
    }
}
