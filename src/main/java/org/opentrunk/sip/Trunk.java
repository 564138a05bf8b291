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
import org.opentrunk.core.callerid.CallerIdRefusals;
import org.opentrunk.core.cnam.CnamLookup;
import org.opentrunk.core.config.DidNumber;
import org.opentrunk.core.registrar.BindingTable;
import org.opentrunk.core.registrar.BindingPersistence;
import org.opentrunk.core.limits.AdmissionGuard;
import org.opentrunk.core.limits.AuthFailureGuard;
import org.opentrunk.core.limits.RefusalLog;
import org.opentrunk.core.securitylog.SecurityLog;
import org.opentrunk.core.limits.TechPrefixMisses;
import org.opentrunk.core.settings.SecuritySettings;
import org.opentrunk.core.routing.dns.SipTargetResolver;
import javax.servlet.ServletContext;
import javax.servlet.sip.SipFactory;
import javax.servlet.sip.SipServlet;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.opentrunk.core.auth.digest.NonceSecretFile;
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
import org.opentrunk.media.MediaEngine;
import org.opentrunk.health.ReadinessWatch;
import org.opentrunk.media.RelayEngine;
import org.opentrunk.media.RelayLoopState;
import org.opentrunk.media.RelayStatistics;

/**
 * What the whole application shares: the operator settings, the live configuration snapshot
 * and who OpenTrunk is on the network. One instance per deployed application, kept as a
 * servlet context attribute so that servlets, listeners and the REST layer find the same one.
 */
public final class Trunk {

    private static final Logger LOG = Logger.getLogger(Trunk.class.getName());
    private static final Logger TRUNK_SERVLET_LOG = Logger.getLogger(TrunkServlet.class.getName());
    private static final String ATTRIBUTE = Trunk.class.getName();

    private final TrunkSettings settings;
    private final TrunkConfig config = new TrunkConfig();
    private final LocalIdentity identity;
    private final LiveCalls liveCalls = new LiveCalls();
    private final Nonces nonces;
    private volatile CdrWriter cdrs;
    private final JournalWait journalWait = new JournalWait();
    private final CarrierHealth carrierHealth = new CarrierHealth();
    private final ChannelCounter channels = new ChannelCounter();
    private final CallRateLimiter callRates = new CallRateLimiter();
    private final CountryGuard countryGuard;
    private final CnamLookup cnam;
    private final SipTargetResolver dns;
    private final BindingTable bindings = new BindingTable();
    private volatile BindingPersistence bindingPersistence;
    private final AuthFailureGuard authFailures;
    private final TechPrefixMisses prefixMisses;
    /** The refusals of the outbound path that each get a log line, each kind within its own budget. */
    private final RefusalLog prefixMissLog = new RefusalLog("Refused tech prefix", TRUNK_SERVLET_LOG);
    private final RefusalLog numberRefusalLog = new RefusalLog("Refused dialled number", TRUNK_SERVLET_LOG);
    private final RefusalLog callerIdRefusalLog = new RefusalLog("Refused caller ID", TRUNK_SERVLET_LOG);
    private final AdmissionGuard admission;
    private final RelayEngine media;
    private final CallerIdRefusals callerIdRefusals = new CallerIdRefusals();
    private volatile ReadinessWatch readiness;
    private volatile Path securityLogFile;

    /** The security log's file name in the server's log directory when OT_SECURITY_LOG is unset. */
    public static final String SECURITY_LOG_FILE = "opentrunk-security.log";

    private Trunk(TrunkSettings settings) {
        this.settings = settings;
        this.identity = new LocalIdentity(settings.sipDomain(), localAddresses(settings.sipHost()));
        this.countryGuard = new CountryGuard(settings.fraudGuardCallsPerMinute());
        // IC-DIGEST: the key survives restarts, so nonces PBXs cached before one get stale=true, not 403.
        this.nonces = new Nonces(new NonceSecretFile(settings.dataDir()).readOrCreate(), settings.nonceLifetime(),
                Nonces.DEFAULT_REPLAY_CAPACITY, Clock.systemUTC());
        // IC-CNAM-IN: the numbers' stored names first (always the live snapshot), then OT_CNAM_URL.
        this.cnam = CnamLookup.fromSetting(e164 -> config.current().number(e164).flatMap(DidNumber::cnamName),
                settings.inbound().cnamUrl().orElse(null));
        this.dns = new SipTargetResolver(settings.inbound().dnsServer().orElse(null));
        SecuritySettings security = settings.security();
        this.authFailures = new AuthFailureGuard(security.authMaxFailures(), security.authFailureWindow(),
                security.authBlockTime());
        this.prefixMisses = new TechPrefixMisses(security.authFailureWindow());
        this.admission = new AdmissionGuard(security.maxInvitesInProgress(), security.maxInvitesPerSource(),
                2 * security.maxInvitesPerSource());
        this.media = new RelayEngine(RelaySettings.of(settings));
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
                // The security log file fail2ban watches (issue 25); OT_SECURITY_LOG moves it.
                trunk.securityLogFile = Path.of(config.getOptionalValue("OT_SECURITY_LOG", String.class)
                        .orElse(Path.of(serverDir, "logs", SECURITY_LOG_FILE).toString()));
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

    /**
     * Digest nonces (IC-DIGEST), keyed by the data directory's {@link NonceSecretFile}: a nonce
     * issued before a restart is stale, not forged.
     */
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

    /**
     * Hands a finished call's record to the CDR writer; the future says, within {@code bound},
     * whether it is forced to disk (IC-CDR: a BYE is answered only once its call's CDR survives a
     * crash). False when the bound passed or the journal is stalled (the record stays queued), or
     * the record was refused (then logged in full, as by {@link #record}). Nothing waits on a thread.
     */
    public java.util.concurrent.CompletableFuture<Boolean> recordDurably(CallRecord record, java.time.Duration bound) {
        CdrWriter writer = cdrs;
        if (writer == null) {
            record(record);
            return java.util.concurrent.CompletableFuture.completedFuture(false);
        }
        java.util.concurrent.CompletableFuture<Void> journaled = writer.submitDurably(record);
        if (journaled.isCompletedExceptionally()) {
            LOG.severe("CDR not queued (writer full or closed): " + CallRecordLine.format(record));
            return java.util.concurrent.CompletableFuture.completedFuture(false);
        }
        return journalWait.whenJournaled(journaled, bound, "call " + (record.customerCallId() != null
                ? record.customerCallId() : record.carrierCallId()));
    }

    /** The CDR writer's counts, or empty before start-up attached it. */
    public java.util.Optional<CdrWriter.Counters> cdrCounters() {
        CdrWriter writer = cdrs;
        return writer == null ? java.util.Optional.empty() : java.util.Optional.of(writer.counters());
    }

    /** The CDR writer's state for the readiness check, or empty before start-up attached it. */
    public java.util.Optional<CdrWriter.Health> cdrHealth() {
        CdrWriter writer = cdrs;
        return writer == null ? java.util.Optional.empty() : java.util.Optional.of(writer.health());
    }

    /** Called once at start-up: where {@link #ready} reads the readiness verdict. */
    public void attachReadiness(ReadinessWatch watch) {
        this.readiness = watch;
    }

    /**
     * Whether the node is ready to take calls, as its readiness checks last found (so a load
     * balancer's OPTIONS can be answered 503 when not). False until they have run. Never blocks.
     */
    public boolean ready() {
        ReadinessWatch watch = readiness;
        return watch != null && watch.ready();
    }

    /** Calls refused for a caller ID the customer may not present (IC-CALLER-OWNER). */
    public CallerIdRefusals callerIdRefusals() {
        return callerIdRefusals;
    }

    /** Those refusals of one customer since start-up. */
    public long callerIdRefusals(long customerId) {
        return callerIdRefusals.of(customerId);
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

    /** Caller names for inbound calls to numbers with cnamLookup (IC-CNAM-IN). */
    public CnamLookup cnam() {
        return cnam;
    }

    /** SRV and NAPTR resolution of inbound routes (IC-ROUTE), cached by TTL. */
    public SipTargetResolver dns() {
        return dns;
    }

    /** Registered contacts of customers' PBXs (the registrar), routes of type registration. */
    public BindingTable bindings() {
        return bindings;
    }

    /**
     * Called once at start-up, when the database is ready: loads the registrations that are still
     * valid (bindings survive a restart) and keeps them up to date from then on.
     */
    public void attachBindings(BindingPersistence persistence) throws Exception {
        int loaded = bindings.load(persistence.loadUnexpired(System.currentTimeMillis()));
        this.bindingPersistence = persistence;
        LOG.info(() -> "Registrar: " + loaded + " registered contacts loaded");
    }

    /** Where registrations are stored; null until start-up attached it. */
    public BindingPersistence bindingPersistence() {
        return bindingPersistence;
    }

    /** Addresses blocked after repeated failed digest authentications (brute force). */
    public AuthFailureGuard authFailures() {
        return authFailures;
    }

    /** Which refused tech prefixes count in {@link #authFailures()} (IC-IPAUTH, IC-SHARED-IP). */
    public TechPrefixMisses prefixMisses() {
        return prefixMisses;
    }

    /** The rate-limited log of refused tech prefixes. */
    public RefusalLog prefixMissLog() {
        return prefixMissLog;
    }

    /** Log lines of dialled numbers refused as not E.164 (IC-E164), within a budget. */
    public RefusalLog numberRefusalLog() {
        return numberRefusalLog;
    }

    /** Log lines of caller IDs refused under callerIdPolicy own (IC-CALLER-OWNER), within a budget. */
    public RefusalLog callerIdRefusalLog() {
        return callerIdRefusalLog;
    }

    /** INVITEs in setup, overall and per source: 503 beyond capacity (overload). */
    public AdmissionGuard admission() {
        return admission;
    }

    /** Starts the media relay of anchored calls (IC-DIRECT); once, at start-up. */
    void startMedia() throws java.io.IOException {
        RelaySettings.checkBindable(media.settings());
        media.start();
        LOG.info(() -> "Media relay for anchored calls on " + media.settings().address().getHostAddress()
                + ", ports " + media.settings().ports() + ", media timeout " + media.settings().mediaTimeout());
    }

    /**
     * Opens the security log file (issue 25). A file that cannot be opened is logged and the lines
     * still reach the server's log: no security event stops the trunk.
     */
    void openSecurityLog() {
        Path path = securityLogFile;
        if (path == null) {
            return;
        }
        try {
            SecurityLog.writeTo(path);
            LOG.info(() -> "Security log (fail2ban): " + path);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.log(java.util.logging.Level.SEVERE, "The security log " + path + " cannot be written; its lines go to the"
                    + " server log only (logger " + SecurityLog.LOGGER_NAME + ")", e);
        }
    }

    /** Stops the media relay, releasing every anchored call's ports. */
    void stopMedia() {
        media.stop();
    }

    /** The media relay of customers with anchorMedia (IC-DIRECT). */
    MediaEngine media() {
        return media;
    }

    /** What the media relay carries now and has carried. */
    public RelayStatistics mediaStatistics() {
        return media.statistics();
    }

    /** The media relay's threads, for the health check; empty when it is not running. */
    public java.util.List<RelayLoopState> mediaLoops() {
        return media.loopStates();
    }

    /** RTP/RTCP port pairs the relay has free (two per anchored call). */
    public int mediaPortPairsFree() {
        return media.settings().ports().pairs() - media.portPairsInUse();
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
