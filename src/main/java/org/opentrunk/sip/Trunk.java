package org.opentrunk.sip;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
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
import org.opentrunk.core.limits.TechPrefixMisses;
import org.opentrunk.core.settings.SecuritySettings;
import org.opentrunk.core.routing.dns.SipTargetResolver;
import javax.servlet.ServletContext;
import javax.servlet.sip.SipFactory;
import javax.servlet.sip.SipServlet;
import org.opentrunk.core.auth.digest.Nonces;
import org.opentrunk.core.cdr.CallRecord;
import org.opentrunk.core.cdr.CallRecordLine;
import org.opentrunk.core.cdr.CdrQueue;
import org.opentrunk.core.config.LocalIdentity;
import org.opentrunk.core.limits.CallAdmission;
import org.opentrunk.core.limits.CountryGuard;
import org.opentrunk.core.routing.CarrierHealth;
import org.opentrunk.core.config.TrunkConfig;
import org.opentrunk.core.settings.TrunkSettings;
import org.opentrunk.media.MediaEngine;
import org.opentrunk.health.ReadinessWatch;
import org.opentrunk.media.RelayEngine;
import org.opentrunk.media.RelayLoopState;
import org.opentrunk.media.RelayStatistics;
import org.opentrunk.metrics.TrunkMetrics;

/**
 * What the SIP side of the application shares: the operator settings, the live configuration
 * snapshot, who OpenTrunk is on the network, and the guards, counters and lookups of the call path.
 * Built once by the application's composition root ({@code org.opentrunk.admin.TrunkAssembly}),
 * which hands it what lives outside the SIP side (the CDR queue, the registrations' store, the
 * readiness verdict, the media relay) through its constructor.
 */
public final class Trunk implements CallServices.Recorder {

    private static final Logger LOG = Logger.getLogger(Trunk.class.getName());
    private static final Logger TRUNK_SERVLET_LOG = Logger.getLogger(TrunkServlet.class.getName());

    private final TrunkSettings settings;
    private final TrunkConfig config = new TrunkConfig();
    private final LocalIdentity identity;
    /** The call series of /metrics and the admin's charts, fed from each CDR (issue 26). */
    private final TrunkMetrics metrics = new TrunkMetrics(
            id -> config.current().carriers().stream().filter(c -> c.id() == id).findFirst().map(c -> c.name()).orElse(null),
            id -> config.current().customer(id).map(c -> c.name()).orElse(null));
    private final LiveCalls liveCalls = new LiveCalls(live -> metrics.history().live(live, System.currentTimeMillis()));
    private final Nonces nonces;
    private final CdrQueue cdrs;
    private final JournalWait journalWait = new JournalWait();
    private final CarrierHealth carrierHealth = new CarrierHealth();
    private final CallAdmission callAdmission;
    private final ClusterHooks clusterHooks;
    private final CountryGuard countryGuard;
    private final CnamLookup cnam;
    private final org.opentrunk.core.stir.StirService stir;
    private final SipTargetResolver dns;
    private final BindingTable bindings = new BindingTable();
    private final BindingPersistence bindingPersistence;
    private final AuthFailureGuard authFailures;
    private final TechPrefixMisses prefixMisses;
    /** The refusals of the outbound path that each get a log line, each kind within its own budget. */
    private final RefusalLog prefixMissLog = new RefusalLog("Refused tech prefix", TRUNK_SERVLET_LOG);
    private final RefusalLog numberRefusalLog = new RefusalLog("Refused dialled number", TRUNK_SERVLET_LOG);
    private final RefusalLog callerIdRefusalLog = new RefusalLog("Refused caller ID", TRUNK_SERVLET_LOG);
    /** Inbound calls whose Identity failed verification (IC-STIR): a spoofing wave must not flood the log. */
    private final RefusalLog stirFailureLog = new RefusalLog("Failed STIR/SHAKEN verification",
            Logger.getLogger(InboundInvite.class.getName()));
    private final AdmissionGuard admission;
    /** Each carrier's inbound policy applied, and what it turned away (issue 25, spoofed carrier INVITEs). */
    private final org.opentrunk.core.limits.CarrierInviteGuard carrierInvites = new org.opentrunk.core.limits.CarrierInviteGuard();
    private final RelayEngine media;
    private final CallerIdRefusals callerIdRefusals = new CallerIdRefusals();
    private final ReadinessWatch readiness;

    /**
     * @param stir               STIR/SHAKEN signing and verification (IC-STIR), from its own settings
     * @param media              the relay of anchored calls, started by the SIP servlet
     * @param cdrs               where calls' records go (IC-CDR)
     * @param bindingPersistence where registrations are stored; {@link #bindings()} is loaded by the caller
     * @param readiness          the node's readiness verdict, for OPTIONS from a load balancer
     * @param callAdmission      channels and call rates per customer: the node's own, or shared by all nodes
     * @param nonceSecret        the digest nonces' key: the data directory's, or the one all nodes share
     * @param clusterHooks       what the other nodes are told and asked ({@link ClusterHooks#SINGLE_NODE} alone)
     */
    public Trunk(TrunkSettings settings, org.opentrunk.core.stir.StirService stir, RelayEngine media, CdrQueue cdrs,
                 BindingPersistence bindingPersistence, ReadinessWatch readiness, CallAdmission callAdmission,
                 byte[] nonceSecret, ClusterHooks clusterHooks) {
        this.clusterHooks = clusterHooks;
        this.settings = settings;
        this.stir = stir;
        this.media = media;
        this.cdrs = cdrs;
        this.bindingPersistence = bindingPersistence;
        this.readiness = readiness;
        this.callAdmission = callAdmission;
        // Behind a front, PBXs address the front: its addresses are this trunk's too (issue 20).
        Set<String> ours = new HashSet<>(localAddresses(settings.sipHost()));
        ours.addAll(settings.front().trustedFronts().addresses());
        this.identity = new LocalIdentity(settings.sipDomain(), ours);
        this.countryGuard = new CountryGuard(settings.fraudGuardCallsPerMinute());
        // IC-DIGEST: the key survives restarts, so nonces PBXs cached before one get stale=true, not
        // 403; with several nodes it is the same on all of them, so any node takes any node's nonce.
        this.nonces = new Nonces(nonceSecret, settings.nonceLifetime(),
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
    }

    /** The relay of anchored calls as the settings describe it (not started). */
    public static RelayEngine relayFor(TrunkSettings settings) {
        return new RelayEngine(RelaySettings.of(settings));
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

    /**
     * Hands a finished call's record to the CDR writer (IC-CDR); never blocks the SIP thread. A
     * record that cannot be queued is logged in full, so it can still be recovered. The record is
     * counted in the call series of /metrics here, once per call (its one CDR).
     */
    @Override
    public void record(CallRecord record) {
        if (!cdrs.submit(record)) {
            LOG.severe("CDR not queued (writer full or closed): " + CallRecordLine.format(record));
        }
        count(record);
    }

    /** Counts a call's record into the metrics, after it is queued: a metrics failure must not cost the CDR. */
    private void count(CallRecord record) {
        try {
            metrics.recorded(record, System.currentTimeMillis());
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.WARNING, "A CDR was not counted in the metrics", e);
        }
    }

    /**
     * Hands a finished call's record to the CDR writer; the future says, within {@code bound},
     * whether it is forced to disk (IC-CDR: a BYE is answered only once its call's CDR survives a
     * crash). False when the bound passed or the journal is stalled (the record stays queued), or
     * the record was refused (then logged in full, as by {@link #record}). Nothing waits on a thread.
     * Counted in /metrics as by {@link #record}.
     */
    @Override
    public java.util.concurrent.CompletableFuture<Boolean> recordDurably(CallRecord record, java.time.Duration bound) {
        java.util.concurrent.CompletableFuture<Void> journaled = cdrs.submitDurably(record);
        count(record);
        if (journaled.isCompletedExceptionally()) {
            LOG.severe("CDR not queued (writer full or closed): " + CallRecordLine.format(record));
            return java.util.concurrent.CompletableFuture.completedFuture(false);
        }
        return journalWait.whenJournaled(journaled, bound, "call " + (record.customerCallId() != null
                ? record.customerCallId() : record.carrierCallId()));
    }

    /**
     * Whether the node is ready to take calls, as its readiness checks last found (so a load
     * balancer's OPTIONS can be answered 503 when not). False until they have run. Never blocks.
     */
    public boolean ready() {
        return readiness.ready();
    }

    /** The call series of /metrics and the admin's last hour (issue 26). */
    public TrunkMetrics metrics() {
        return metrics;
    }

    /** Counts the live calls per carrier into the admin's last hour (every CallHistory.CARRIER_LIVE_SAMPLE). */
    void sampleCarrierLive() {
        metrics.history().carrierLive(liveCalls.byCarrier(), System.currentTimeMillis());
    }

    /** Calls refused for a caller ID the customer may not present (IC-CALLER-OWNER). */
    public CallerIdRefusals callerIdRefusals() {
        return callerIdRefusals;
    }

    /** Those refusals of one customer since start-up. */
    public long callerIdRefusals(long customerId) {
        return callerIdRefusals.of(customerId);
    }

    /** Concurrent calls (maxChannels) and new calls per second (maxCps) per customer, on this node or all. */
    public CallAdmission callAdmission() {
        return callAdmission;
    }

    /** What the other nodes of the trunk are told and asked (issue 20). */
    public ClusterHooks clusterHooks() {
        return clusterHooks;
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
    /** STIR/SHAKEN signing and verification (IC-STIR). */
    public org.opentrunk.core.stir.StirService stir() {
        return stir;
    }

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

    /** Where registrations are stored. */
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

    public RefusalLog stirFailureLog() {
        return stirFailureLog;
    }

    /** Carriers' inbound policies: transport, INVITE rate, unknown numbers summarised (issue 25). */
    public org.opentrunk.core.limits.CarrierInviteGuard carrierInvites() {
        return carrierInvites;
    }

    /** INVITEs in setup, overall and per source: 503 beyond capacity (overload). */
    public AdmissionGuard admission() {
        return admission;
    }

    /** Starts the media relay of anchored calls (IC-DIRECT); once, at start-up. */
    public void startMedia() throws java.io.IOException {
        RelaySettings.checkBindable(media.settings());
        media.start();
        LOG.info(() -> "Media relay for anchored calls on " + media.settings().address().getHostAddress()
                + ", ports " + media.settings().ports() + ", media timeout " + media.settings().mediaTimeout());
    }

    /** Stops the media relay, releasing every anchored call's ports. */
    public void stopMedia() {
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

    /** RTP/RTCP port pairs the relay has in all ({@code OT_RTP_PORTS}). */
    public int mediaPortPairs() {
        return media.settings().ports().pairs();
    }

    /** RTP/RTCP port pairs the relay has bound now (two per anchored call). */
    public int mediaPortPairsInUse() {
        return media.portPairsInUse();
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
