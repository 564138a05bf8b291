package org.opentrunk.sip;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;
import javax.servlet.ServletContext;
import javax.servlet.sip.SipFactory;
import javax.servlet.sip.SipServlet;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.opentrunk.core.auth.digest.Nonces;
import org.opentrunk.core.cdr.CallRecord;
import org.opentrunk.core.cdr.CallRecordLine;
import org.opentrunk.store.CdrWriter;
import org.opentrunk.core.config.LocalIdentity;
import org.opentrunk.core.limits.CallRateLimiter;
import org.opentrunk.core.limits.ChannelCounter;
import org.opentrunk.core.limits.CountryGuard;
import org.opentrunk.core.routing.CarrierHealth;
import org.opentrunk.core.config.TrunkConfig;
import org.opentrunk.core.settings.TrunkSettings;

/**
 * What the whole application shares: the operator settings, the live configuration snapshot
 * and who OpenTrunk is on the network. One instance per deployed application, kept as a
 * servlet context attribute so that servlets, listeners and the REST layer find the same one.
 */
public final class Trunk {

    private static final Logger LOG = Logger.getLogger(Trunk.class.getName());
    private static final String ATTRIBUTE = Trunk.class.getName();

    private final TrunkSettings settings;
    private final TrunkConfig config = new TrunkConfig();
    private final LocalIdentity identity;
    private final LiveCalls liveCalls = new LiveCalls();
    private final Nonces nonces;
    private volatile CdrWriter cdrs;
    private final CarrierHealth carrierHealth = new CarrierHealth();
    private final ChannelCounter channels = new ChannelCounter();
    private final CallRateLimiter callRates = new CallRateLimiter();
    private final CountryGuard countryGuard;

    private Trunk(TrunkSettings settings) {
        this.settings = settings;
        this.identity = new LocalIdentity(settings.sipDomain(), localAddresses(settings.sipHost()));
        this.countryGuard = new CountryGuard(settings.fraudGuardCallsPerMinute());
        this.nonces = new Nonces(Nonces.randomSecret(), settings.nonceLifetime(), Nonces.DEFAULT_REPLAY_CAPACITY,
                Clock.systemUTC());
    }

    /** The application's instance, created on first use (listeners may run in any order). */
    public static Trunk of(ServletContext context) {
        synchronized (context) {
            Trunk trunk = (Trunk) context.getAttribute(ATTRIBUTE);
            if (trunk == null) {
                String serverDir = System.getProperty("server.output.dir", System.getProperty("user.dir"));
                // MicroProfile Config: environment variables over server.xml <variable>s.
                Config config = ConfigProvider.getConfig();
                trunk = new Trunk(TrunkSettings.from(
                        name -> config.getOptionalValue(name, String.class).orElse(null),
                        Path.of(serverDir, "opentrunk-data")));
                context.setAttribute(ATTRIBUTE, trunk);
                Trunk created = trunk;
                LOG.info(() -> "OpenTrunk settings: " + created.settings);
            }
            return trunk;
        }
    }

    public TrunkSettings settings() {
        return settings;
    }

    public TrunkConfig config() {
        return config;
    }

    /** Digest nonces (IC-DIGEST): a fresh secret per start, so a restart just re-challenges. */
    public Nonces nonces() {
        return nonces;
    }

    /** Called once at start-up, when the database and the CDR journal are ready. */
    public void attachCdrs(CdrWriter writer) {
        this.cdrs = writer;
    }

    /**
     * Hands a finished call's record to the CDR writer (IC-CDR); never blocks the SIP thread. A
     * record that cannot be queued is logged in full, so it can still be recovered.
     */
    public void record(CallRecord record) {
        CdrWriter writer = cdrs;
        if (writer == null || !writer.submit(record)) {
            LOG.severe("CDR not queued (writer " + (writer == null ? "not started" : "full") + "): "
                    + CallRecordLine.format(record));
        }
    }

    /** Concurrent calls per customer (maxChannels). */
    public ChannelCounter channels() {
        return channels;
    }

    /** New calls per second per customer (maxCps). */
    public CallRateLimiter callRates() {
        return callRates;
    }

    /** The automatic per-customer, per-country toll-fraud guard. */
    public CountryGuard countryGuard() {
        return countryGuard;
    }

    /** What the OPTIONS probes know about each carrier. */
    public CarrierHealth carrierHealth() {
        return carrierHealth;
    }

    public LiveCalls liveCalls() {
        return liveCalls;
    }

    public LocalIdentity identity() {
        return identity;
    }

    static SipFactory sipFactory(ServletContext context) {
        return (SipFactory) context.getAttribute(SipServlet.SIP_FACTORY);
    }

    /** The listening host plus every IPv4 address of this machine's interfaces. */
    private static Set<String> localAddresses(String sipHost) {
        Set<String> addresses = new HashSet<>();
        addresses.add(sipHost);
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nif.getInetAddresses())) {
                    addresses.add(address.getHostAddress());
                }
            }
        } catch (SocketException e) {
            LOG.warning("Cannot list network interfaces; only " + sipHost + " counts as local: " + e);
        }
        return addresses;
    }
}
