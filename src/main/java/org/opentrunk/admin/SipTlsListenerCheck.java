package org.opentrunk.admin;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * IC-TLS: checks once after start-up that Liberty's SIP over TLS listener really listens. Liberty
 * 26.0.0.3's SIP endpoint builds its TLS chain only if the SSL options are there when the SIP
 * container starts; on a first start Liberty is still generating its key store then, and the TLS
 * port silently stays closed (UDP and TCP work). A restart finds the key store and starts it. This
 * check turns the silence into a SEVERE log line that says so; docs/operations.md, "Known limits:
 * SIP over TLS on the first start". Runs on the TLS refresh thread (a connect is blocking I/O).
 */
final class SipTlsListenerCheck {

    /** Where the check stands. */
    enum State { WAITING, LISTENING, NOT_LISTENING }

    private static final Logger LOG = Logger.getLogger(SipTlsListenerCheck.class.getName());
    /** How long after start-up the listener may take (the server opens its ports once every application started). */
    static final Duration GRACE = Duration.ofSeconds(120);
    private static final int CONNECT_TIMEOUT_MS = 2_000;

    private final String host;
    private final int port;
    private final long startedAtNanos = System.nanoTime();
    private State state = State.WAITING;

    /** @param sipHost OT_SIP_HOST; {@code *} is checked on the loopback address */
    SipTlsListenerCheck(String sipHost, int port) {
        this.host = "*".equals(sipHost) ? "127.0.0.1" : sipHost;
        this.port = port;
    }

    synchronized State state() {
        return state;
    }

    /** Connects once unless decided; logs the outcome once. */
    synchronized void check() {
        if (state != State.WAITING) {
            return;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            state = State.LISTENING;
            LOG.info(() -> "SIP over TLS listens on " + host + ":" + port);
        } catch (IOException notListening) {
            if (System.nanoTime() - startedAtNanos > GRACE.toNanos()) {
                state = State.NOT_LISTENING;
                LOG.severe("SIP over TLS does NOT listen on " + host + ":" + port + " (" + notListening.getMessage()
                        + "): Liberty started its SIP endpoint before its SSL configuration was ready, which happens"
                        + " on a first start while it generates its key store. Restart the server; see"
                        + " docs/operations.md, \"Known limits: SIP over TLS on the first start\".");
            }
        }
    }
}
