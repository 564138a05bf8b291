package org.opentrunk.call;

/**
 * Receives the responses to a request the call sent, provisional and final, on the call's own
 * thread. A request that could not be sent at all gets a local final answer (503) instead, so that
 * every request the call sends ends in a final response.
 */
@FunctionalInterface
public interface ReplyListener {

    void onReply(Reply reply);
}
