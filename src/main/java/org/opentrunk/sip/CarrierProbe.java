package org.opentrunk.sip;

import org.opentrunk.core.config.LocalIdentity;
import org.opentrunk.core.config.TrunkConfig;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.servlet.sip.Address;
import javax.servlet.sip.SipApplicationSession;
import javax.servlet.sip.SipFactory;
import javax.servlet.sip.SipServletRequest;
import javax.servlet.sip.SipURI;
import org.opentrunk.core.config.Carrier;
import org.opentrunk.core.config.Transport;
import org.opentrunk.core.routing.CarrierHealth;

/**
 * Sends an OPTIONS to every enabled carrier every {@code OT_CARRIER_PROBE_INTERVAL} seconds and
 * records the outcome in {@link CarrierHealth}, so that outbound calls skip a carrier that stopped
 * answering before a caller has to wait for it. Each probe has its own application session,
 * invalidated when its answer (or the container's 408) arrives; the scheduling thread only sends.
 */
final class CarrierProbe {

    private static final Logger LOG = Logger.getLogger(CarrierProbe.class.getName());

    /** Marks OpenTrunk's own probes; removed before they leave. */
    static final String TOKEN_HEADER = "X-OpenTrunk-Probe";
    /** The Path a keepalive follows, one header per entry, carried across the loop-back; removed before it leaves. */
    static final String PATH_HEADER = "X-OpenTrunk-Probe-Path";

    private final TrunkConfig config;
    private final CarrierHealth health;
    private final LocalIdentity identity;
    private final SipFactory sipFactory;
    private final String token = java.util.UUID.randomUUID().toString();
    private ScheduledFuture<?> task;

    /**
     * @param config   the live configuration: its carriers are probed
     * @param health   where what the probes learn is kept
     * @param identity OpenTrunk's domain, the probes' From
     */
    CarrierProbe(TrunkConfig config, CarrierHealth health, LocalIdentity identity, SipFactory sipFactory) {
        this.config = config;
        this.health = health;
        this.identity = identity;
        this.sipFactory = sipFactory;
    }

    /** True for a probe this OpenTrunk sent, looped back to it by the application router. */
    boolean isOwnProbe(SipServletRequest request) {
        return token.equals(request.getHeader(TOKEN_HEADER));
    }

    /**
     * Sends a looped-back probe on to the carrier (as a proxy: the response returns to the sender),
     * through the front when this node has one (its Path, or the outbound proxy: {@link OutboundRoutes}).
     */
    void forward(SipServletRequest probe) throws IOException {
        probe.removeHeader(TOKEN_HEADER);
        java.util.List<String> path = CarrierLegHeaders.values(probe, PATH_HEADER);
        probe.removeHeader(PATH_HEADER);
        probe.getApplicationSession().setInvalidateWhenReady(true); // the loop-back made a session of its own
        try {
            OutboundRoutes.push(probe, sipFactory, path, null);
            probe.getProxy().proxyTo(probe.getRequestURI());
        } catch (javax.servlet.sip.TooManyHopsException e) {
            probe.createResponse(483, "Too Many Hops").send();
        } catch (javax.servlet.sip.ServletParseException e) {
            LOG.log(Level.FINE, "Probe route not usable", e);
            probe.createResponse(500, "Server Internal Error").send();
        }
    }

    void start(ScheduledExecutorService scheduler, Duration interval) {
        if (interval.isZero()) {
            LOG.info("Carrier OPTIONS probes are off (OT_CARRIER_PROBE_INTERVAL=0)");
            return;
        }
        task = scheduler.scheduleWithFixedDelay(this::probeAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void probeAll() {
        for (Carrier carrier : config.current().carriers()) {
            if (carrier.enabled()) {
                try {
                    probe(carrier);
                } catch (IOException e) {
                    LOG.log(Level.FINE, "OPTIONS probe to " + carrier.name() + " could not be sent", e);
                    health.failed(carrier.id()); // unreachable: counts against the carrier
                } catch (RuntimeException e) {
                    // OpenTrunk's own failure says nothing about the carrier: never route around it for this.
                    LOG.log(Level.WARNING, "OPTIONS probe to " + carrier.name() + " failed locally", e);
                }
            }
        }
    }

    private void probe(Carrier carrier) throws IOException {
        String transport = carrier.transport().uriSuffix();
        sendOptions("sip:" + carrier.host() + ":" + carrier.port() + transport, status -> {
            LOG.fine(() -> "OPTIONS probe to " + carrier.name() + ": " + status);
            boolean wasDown = health.status(carrier.id()).state() == CarrierHealth.State.DOWN;
            if (CarrierHealth.isAlive(status)) {
                health.answered(carrier.id(), System.currentTimeMillis());
                if (wasDown) {
                    LOG.info(() -> "Carrier " + carrier.name() + " answers OPTIONS again: back in routing");
                }
            } else {
                health.failed(carrier.id());
                if (!wasDown && health.status(carrier.id()).state() == CarrierHealth.State.DOWN) {
                    LOG.warning(() -> "Carrier " + carrier.name() + " marked down: OPTIONS answered " + status);
                }
            }
        });
    }

    /**
     * Sends an out-of-dialog OPTIONS to {@code requestUri} (a user-less SIP URI) and reports the
     * final status (the container's 408 when nothing answers). Also the registrar's keepalives.
     */
    void sendOptions(String requestUri, java.util.function.IntConsumer onFinalStatus) throws IOException {
        sendOptions(requestUri, java.util.List.of(), onFinalStatus);
    }

    /** {@link #sendOptions(String, java.util.function.IntConsumer)} along {@code path} (a registered contact's Path). */
    void sendOptions(String requestUri, java.util.List<String> path, java.util.function.IntConsumer onFinalStatus)
            throws IOException {
        SipApplicationSession session = sipFactory.createApplicationSession();
        // createSipURI(null, host) is refused by Liberty: a user-less URI has to be parsed.
        SipURI target;
        try {
            target = (SipURI) sipFactory.createURI(requestUri);
        } catch (javax.servlet.sip.ServletParseException | ClassCastException e) {
            session.invalidate();
            throw new IllegalStateException(requestUri + " is no SIP URI", e);
        }
        try {
            Address from = sipFactory.createAddress(sipFactory.createSipURI("probe", identity.domain()));
            SipServletRequest options = sipFactory.createRequest(session, "OPTIONS", from, sipFactory.createAddress(target));
            options.setRequestURI(target);
            // A request the application creates goes through the JSR 289 application router, which
            // hands it straight back to OpenTrunk (doOptions); the token lets doOptions recognise it
            // and proxy it out, and only OpenTrunk knows the token, so the trunk is no open proxy.
            options.setHeader(TOKEN_HEADER, token);
            for (String route : path) {
                options.addHeader(PATH_HEADER, route);
            }
            ResponseHandler.send(options, response -> {
                if (response.getStatus() < 200) {
                    return;
                }
                try {
                    onFinalStatus.accept(response.getStatus());
                } finally {
                    if (session.isValid()) {
                        session.invalidate();
                    }
                }
            });
        } catch (IOException | RuntimeException e) {
            // Nothing was sent, so no answer will come to invalidate the session: do it here.
            if (session.isValid()) {
                session.invalidate();
            }
            throw e;
        }
    }
}
