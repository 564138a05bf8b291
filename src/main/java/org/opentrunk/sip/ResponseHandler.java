package org.opentrunk.sip;

import java.io.IOException;
import javax.servlet.sip.SipServletRequest;
import javax.servlet.sip.SipServletResponse;

/**
 * What to do with the responses to a request OpenTrunk sent. Attached to the request when it is
 * sent, so that a call flow reads as "send this, and on its answer do that" in one place instead
 * of being spread over doXxxResponse methods.
 */
@FunctionalInterface
interface ResponseHandler {

    String ATTRIBUTE = "org.opentrunk.responseHandler";

    void onResponse(SipServletResponse response) throws IOException;

    /** Sends {@code request}; its responses (provisional and final) go to {@code handler}. */
    static void send(SipServletRequest request, ResponseHandler handler) throws IOException {
        request.setAttribute(ATTRIBUTE, handler);
        request.send();
    }

    /** The handler the request of {@code response} was sent with, or null. */
    static ResponseHandler of(SipServletResponse response) {
        return (ResponseHandler) response.getRequest().getAttribute(ATTRIBUTE);
    }
}
