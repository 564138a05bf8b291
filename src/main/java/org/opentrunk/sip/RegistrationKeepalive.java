package org.opentrunk.sip;

import org.opentrunk.core.registrar.BindingTable;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrunk.core.config.Transport;
import org.opentrunk.core.registrar.Binding;
import org.opentrunk.core.registrar.BindingWriter;

/**
 * The registrar's housekeeping, every {@code OT_KEEPALIVE_INTERVAL}: drops expired bindings (from
 * memory and the database) and sends an OPTIONS to every registered contact, at the address and
 * port its REGISTER came from, so that the PBX's NAT keeps the way in open for inbound calls.
 * Runs on a managed scheduler thread, never a SIP one.
 */
final class RegistrationKeepalive {

    private static final Logger LOG = Logger.getLogger(RegistrationKeepalive.class.getName());

    private final BindingTable bindings;
    private final BindingWriter writer;
    private final CarrierProbe options;
    /** Whether this node sends the keepalives: always on one node; with several, the one leader (issue 20). */
    private final java.util.function.BooleanSupplier duty;
    private ScheduledFuture<?> task;

    RegistrationKeepalive(BindingTable bindings, BindingWriter writer, CarrierProbe options,
                          java.util.function.BooleanSupplier duty) {
        this.duty = duty;
        this.bindings = bindings;
        this.writer = writer;
        this.options = options;
    }

    void start(ScheduledExecutorService scheduler, Duration interval) {
        if (interval.isZero()) {
            LOG.info("Keepalives to registered contacts are off (OT_KEEPALIVE_INTERVAL=0)");
            return;
        }
        task = scheduler.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void tick() {
        long now = System.currentTimeMillis();
        bindings.removeExpired(now);
        if (writer != null) {
            writer.deleteExpired(now); // on the writer's thread: a database that hangs cannot stop the keepalives
        }
        if (!duty.getAsBoolean()) {
            return; // another node of the trunk sends them
        }
        for (Binding binding : bindings.all()) {
            String transport = binding.transport().uriSuffix();
            try {
                options.sendOptions("sip:" + binding.sourceAddress() + ":" + binding.sourcePort() + transport, binding.path(), status ->
                        LOG.fine(() -> "Keepalive to " + binding.contactUri() + " via " + binding.sourceAddress() + ":"
                                + binding.sourcePort() + ": " + status));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "Keepalive to " + binding.contactUri() + " not sent", e);
            }
        }
    }
}
