package org.opentrunk.call;

/**
 * Receives the responses to an initial INVITE to a target. A 2xx comes with the dialog it created
 * (a forking target may create several): the call either connects it to the caller or hangs up on it.
 */
@FunctionalInterface
public interface CalleeAnswerListener {

    /**
     * @param reply  the response
     * @param dialog the dialog of a 2xx, null for other responses
     */
    void onReply(Reply reply, CalleeDialog dialog);
}
