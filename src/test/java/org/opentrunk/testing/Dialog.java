package org.opentrunk.testing;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The caller's side of a dialog set up by a test client: builds ACK, BYE and other in-dialog
 * requests from the INVITE it sent and the 2xx it got (RFC 3261 section 12.2.1.1).
 */
public final class Dialog {

    private final SipTestClient client;
    private final SipMessage invite;
    private final SipMessage answer;
    private int cseq;

    public Dialog(SipTestClient client, SipMessage invite, SipMessage answer) {
        this.client = client;
        this.invite = invite;
        this.answer = answer;
        this.cseq = Integer.parseInt(invite.header("CSeq").orElseThrow().split(" ")[0].trim());
    }

    /**
     * The callee's side of a dialog: the client received {@code invite} and answered it with
     * {@code toTag}; its requests go to the INVITE's Contact with From and To swapped.
     */
    public static Dialog calleeSide(SipTestClient client, SipMessage invite, String toTag) {
        String mine = "INVITE sip:callee SIP/2.0\r\nFrom: " + invite.header("To").orElseThrow() + ";tag=" + toTag
                + "\r\nCall-ID: " + invite.header("Call-ID").orElseThrow() + "\r\nCSeq: 100 INVITE\r\n\r\n";
        String theirs = "SIP/2.0 200 OK\r\nTo: " + invite.header("From").orElseThrow() + "\r\nContact: <"
                + invite.contactUri() + ">\r\n\r\n";
        byte[] a = mine.getBytes(StandardCharsets.UTF_8);
        byte[] b = theirs.getBytes(StandardCharsets.UTF_8);
        return new Dialog(client, SipMessage.parse(a, a.length), SipMessage.parse(b, b.length));
    }

    /** The ACK for the 2xx: same CSeq number as the INVITE, new branch. */
    public String ack() {
        return build("ACK", Integer.parseInt(invite.header("CSeq").orElseThrow().split(" ")[0].trim()), "", "");
    }

    /** The ACK for the 2xx of a re-INVITE: that response's CSeq number, new branch. */
    public String ack(SipMessage reinviteAnswer) {
        return build("ACK", Integer.parseInt(reinviteAnswer.header("CSeq").orElseThrow().split(" ")[0].trim()), "", "");
    }

    /** A new in-dialog request with the next CSeq number. */
    public String request(String method, String extraHeaders, String body) {
        return build(method, ++cseq, extraHeaders, body);
    }

    private String build(String method, int number, String extraHeaders, String body) {
        String transport = client.transport().name();
        return method + " " + answer.contactUri() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " " + client.localAddress() + ":" + client.localPort()
                + ";branch=z9hG4bK" + UUID.randomUUID().toString().replace("-", "").substring(0, 16) + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: " + invite.header("From").orElseThrow() + "\r\n"
                + "To: " + answer.header("To").orElseThrow() + "\r\n"
                + "Call-ID: " + invite.header("Call-ID").orElseThrow() + "\r\n"
                + "CSeq: " + number + " " + method + "\r\n"
                + "Contact: <sip:pbx@" + client.localAddress() + ":" + client.localPort() + ";transport="
                + transport.toLowerCase() + ">\r\n"
                + extraHeaders
                + (body.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n"
                + body;
    }
}
