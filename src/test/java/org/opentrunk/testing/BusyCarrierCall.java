package org.opentrunk.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A PBX's call that a carrier refuses busy if it gets there: what limit and guard tests place again
 * and again to see whether OpenTrunk lets a call through.
 */
public final class BusyCarrierCall {

    private BusyCarrierCall() {
    }

    /**
     * Sends an INVITE to {@code requestUri} from {@code pbx}; {@code carrier} answers any INVITE it
     * gets with 486. Returns the PBX's final answer, acknowledged.
     */
    public static SipMessage place(SipTestClient pbx, SipTestClient carrier, String requestUri, Duration wait)
            throws Exception {
        String text = pbx.newRequest("INVITE", requestUri, "", "");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        SipMessage invite = SipMessage.parse(bytes, bytes.length);
        String callId = invite.header("Call-ID").orElseThrow();
        pbx.send(text);
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<SipMessage> atCarrier = carrier.receive(Duration.ofMillis(20));
            if (atCarrier.isPresent() && "INVITE".equals(atCarrier.get().method()) && !atCarrier.get().isResponse()) {
                carrier.send(atCarrier.get().response(486, "Busy Here", "g", "", ""));
            }
            Optional<SipMessage> answer = pbx.receive(Duration.ofMillis(20));
            if (answer.isPresent() && answer.get().isResponse() && answer.get().status() >= 200
                    && callId.equals(answer.get().header("Call-ID").orElse(""))) {
                pbx.send(SipTestClient.ackFor(invite, answer.get()));
                return answer.get();
            }
        }
        throw new AssertionError("no final answer for " + requestUri);
    }
}
