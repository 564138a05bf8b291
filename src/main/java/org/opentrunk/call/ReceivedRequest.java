package org.opentrunk.call;

/**
 * A request a party sent within the call (a re-INVITE, a BYE) that the call answers, possibly
 * later: its answer may wait for the other party (a relayed re-INVITE) or for the CDR journal (a BYE).
 */
public interface ReceivedRequest {

    /** The body, or null for none. */
    byte[] body();

    /** Answers the request; nothing happens when it has its final answer already. */
    void answer(Reply reply);
}
