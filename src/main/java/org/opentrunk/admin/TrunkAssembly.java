package org.opentrunk.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.annotation.Resource;
import javax.enterprise.concurrent.ManagedThreadFactory;
import javax.enterprise.context.ApplicationScoped;
import javax.enterprise.inject.Produces;
import javax.inject.Inject;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.opentrunk.core.tls.TlsKeyMaterial;
import org.opentrunk.core.limits.AuthFailureGuard;
import java.util.List;
import java.util.Optional;
import org.opentrunk.core.registrar.Binding;
import org.opentrunk.cluster.ClusterNode;
import org.opentrunk.core.auth.digest.NonceSecretFile;
import org.opentrunk.core.limits.CallAdmission;
import org.opentrunk.core.limits.LocalCallAdmission;
import org.opentrunk.core.settings.ClusterSettings;
import org.opentrunk.sip.ClusterHooks;
import org.opentrunk.core.limits.CountryGuard;
import org.opentrunk.core.registrar.BindingTable;
import org.opentrunk.core.routing.CarrierHealth;
import org.opentrunk.core.securitylog.SecurityLog;
import org.opentrunk.core.settings.TrunkSettings;
import org.opentrunk.core.stir.StirService;
import org.opentrunk.hep.HepExport;
import org.opentrunk.hep.HepSettings;
import org.opentrunk.ladder.CallLadders;
import org.opentrunk.ladder.LadderLimits;
import org.opentrunk.media.RelayEngine;
import org.opentrunk.metrics.TrunkMetrics;
import org.opentrunk.sip.LiveCalls;
import org.opentrunk.sip.Trunk;
import org.opentrunk.store.CdrJournal;
import org.opentrunk.store.CdrWriter;
import org.opentrunk.store.JpaBindingPersistence;
import org.opentrunk.store.JpaCdrSink;
import org.opentrunk.store.ProvisioningStore;
import org.opentrunk.store.SchemaMigration;

/**
 * The application's composition root: builds the trunk's services once, in the order they need
 * each other, and hands each its parts through its constructor. Settings first (a bad variable
 * stops the start with its name) and STIR/SHAKEN's keys; last what needs the database (schema,
 * registrations, the configuration snapshot), retried while the database is
 * down (the node is not ready meanwhile). In between: the CDR writer and its journal, the media
 * relay, the health checks and the {@link Trunk} the SIP side runs on.
 *
 * <p>Built on first use, whoever comes first: {@link TrunkStartup} at deployment, or the SIP
 * servlet's init (the container does not promise their order). CDI beans reach the trunk here; the
 * SIP servlet looks the {@link Trunk} up through CDI (JSR 289 servlets are not injection targets
 * in every container).
 */
@ApplicationScoped
public class TrunkAssembly {

    private static final Logger LOG = Logger.getLogger(TrunkAssembly.class.getName());
    /** The security log's file name in the server's log directory when OT_SECURITY_LOG is unset (issue 25). */
    public static final String SECURITY_LOG_FILE = "opentrunk-security.log";

    /** What the assembly built, all at once. */
    private record Built(CdrWriter cdrs, NodeHealth health, Trunk trunk) {
    }

    @Resource(lookup = "jdbc/opentrunk")
    private DataSource dataSource;
    /** Threads that carry the application's context, so the CDR sink and the checks can use JPA and JTA. */
    @Resource
    private ManagedThreadFactory threads;
    @Inject
    private ConfigPublisher publisher;
    @Inject
    private JpaCdrSink cdrSink;
    @Inject
    private JpaBindingPersistence bindingPersistence;
    @Inject
    private ProvisioningStore store;

    private Function<String, String> environment;
    private TrunkSettings settings;
    private Built built;
    private CallLadders ladders;
    private HepExport hep;
    private boolean closed;
    /** How often a node that started without its database tries to load its configuration again. */
    static final Duration DATABASE_RETRY = Duration.ofSeconds(5);
    /** Longest reason kept for /health. */
    private static final int MAX_FAILURE_TEXT = 300;
    private static final String STARTING = "starting";
    /** Why the configuration is not loaded from the database; null once it is. */
    private volatile String databaseFailure = STARTING;
    private ScheduledExecutorService databaseRetry;
    /** This node as one of several (issue 20); null on a single node. */
    private ClusterNode cluster;
    /** How often the TLS certificate files and the carriers' CAs are looked at again (IC-TLS, rotation without restart). */
    static final Duration TLS_REFRESH = Duration.ofSeconds(10);
    private ScheduledExecutorService tlsRefresh;
    private volatile java.util.Map<String, String> carrierCas = java.util.Map.of();


    /** The operator's settings: environment variables over server.xml variables (MicroProfile Config). */
    @Produces
    public synchronized TrunkSettings settings() {
        if (settings == null) {
            settings = TrunkSettings.from(environment(), serverDir().resolve("opentrunk-data"));
            LOG.info(() -> "OpenTrunk settings: " + settings);
        }
        return settings;
    }

    private static Path serverDir() {
        return Path.of(System.getProperty("server.output.dir", System.getProperty("user.dir")));
    }

    /** MicroProfile Config: environment variables over server.xml {@code <variable>}s. */
    private synchronized Function<String, String> environment() {
        if (environment == null) {
            Config config = ConfigProvider.getConfig();
            environment = name -> config.getOptionalValue(name, String.class).orElse(null);
        }
        return environment;
    }

    /**
     * The trunk, built with everything it needs on first use; also its CDI producer, for code that
     * is not a bean (the SIP servlet looks it up). Dependent scope: the one instance, no proxy.
     */
    @Produces
    public Trunk trunk() {
        return built().trunk();
    }

    // ---- the trunk's services, each built once, for the beans that use them (dependent scope: no proxies)

    /** The calls in progress. */
    @Produces
    public LiveCalls liveCalls() {
        return trunk().liveCalls();
    }

    /** What the OPTIONS probes know of each carrier. */
    @Produces
    public CarrierHealth carrierHealth() {
        return trunk().carrierHealth();
    }

    /** Channels in use per customer (maxChannels) and call rates (maxCps): the node's own, or shared. */
    @Produces
    public CallAdmission callAdmission() {
        return trunk().callAdmission();
    }

    /** The per-customer, per-country toll-fraud guard. */
    @Produces
    public CountryGuard countryGuard() {
        return trunk().countryGuard();
    }

    /** The registrar's contacts. */
    @Produces
    public BindingTable bindings() {
        return trunk().bindings();
    }

    /** Addresses blocked after failed authentications. */
    @Produces
    public AuthFailureGuard authFailures() {
        return trunk().authFailures();
    }

    /** The call series of /metrics and the admin's charts. */
    @Produces
    public TrunkMetrics metrics() {
        return trunk().metrics();
    }

    /** The CDR writer (its counters for /metrics). */
    @Produces
    public CdrWriter cdrs() {
        return built().cdrs();
    }

    /** The node's health checks. */
    @Produces
    public NodeHealth health() {
        return built().health();
    }

    /** The SIP messages of recent calls (issue 26), bounded by OT_LADDER_CALLS and OT_LADDER_MB. */
    @Produces
    public synchronized CallLadders ladders() {
        if (ladders == null) {
            LadderLimits limits = LadderLimits.from(environment());
            ladders = new CallLadders(limits);
            LOG.info(() -> "SIP ladders of recent calls: " + limits);
        }
        return ladders;
    }

    /**
     * The HEPv3 export of the ladder's messages to a Homer collector (issue 26), off unless
     * OT_HEP_ADDRESS is set; a bad address stops the start with the setting's name.
     */
    @Produces
    public synchronized HepExport hep() {
        if (hep == null) {
            HepSettings hepSettings = HepSettings.from(environment());
            try {
                hep = closed ? HepExport.off() : HepExport.start(hepSettings, Thread::new); // needs no application context
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot open a UDP socket for the HEP export " + hepSettings, e);
            }
        }
        return hep;
    }

    private synchronized Built built() {
        if (built != null) {
            return built;
        }
        if (closed) {
            throw new IllegalStateException("OpenTrunk has stopped");
        }
        TrunkSettings settings = settings();
        hep(); // a bad OT_HEP_ADDRESS stops the start here, with the other settings
        StirService stir = StirService.from(environment());
        openSecurityLog();
        // Issue 20: the node id goes into every CDR, journaled ones delivered after a crash included.
        ClusterSettings clusterSettings = ClusterSettings.from(environment());
        cdrSink.node(clusterSettings.nodeId());
        startTlsKeyMaterial(settings);
        CdrWriter cdrs;
        try {
            cdrs = new CdrWriter(CdrJournal.inDataDirectory(settings.dataDir()), cdrSink, CdrWriter.Limits.DEFAULTS, threads);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the CDR journal in " + settings.dataDir(), e);
        }
        cdrs.start();
        RelayEngine relay = Trunk.relayFor(settings);
        // Issue 20: with OT_REDIS_URL this node shares its counters, guards and nonces with others.
        cluster = clusterSettings.clustered() ? ClusterNode.start(clusterSettings, threads) : null;
        NodeHealth health = new NodeHealth(settings, stir, cdrs, relay, dataSource, threads, () -> databaseFailure,
                Optional.ofNullable(cluster).map(ClusterNode::check));
        Trunk trunk = new Trunk(settings, stir, relay, cdrs, bindingPersistence, health.watch(),
                cluster == null ? new LocalCallAdmission() : cluster.admission(), nonceSecret(settings),
                cluster == null ? ClusterHooks.SINGLE_NODE : cluster.hooks());
        if (cluster != null) {
            cluster.join(trunk, () -> reloadConfiguration(trunk), customerId -> reloadBindings(trunk, customerId));
        }
        built = new Built(cdrs, health, trunk);
        health.start();
        if (!loadFromDatabase(trunk)) {
            // Issue 25: the node comes up with its database down, not ready (OPTIONS 503, /health
            // says why), and loads its configuration as soon as the database answers.
            databaseRetry = Executors.newSingleThreadScheduledExecutor(threads);
            databaseRetry.scheduleWithFixedDelay(() -> {
                if (loadFromDatabase(trunk)) {
                    databaseRetry.shutdown();
                }
            }, DATABASE_RETRY.toMillis(), DATABASE_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
        StirService.Status stirStatus = stir.status();
        LOG.log(stirStatus.broken() ? Level.WARNING : Level.INFO, () -> "STIR/SHAKEN signing: "
                + stirStatus.signingDetail() + "; verification: " + stirStatus.verifyingDetail());
        return built;
    }

    /**
     * The digest nonces' key (IC-DIGEST): kept in the data directory across restarts; with several
     * nodes {@code OT_NONCE_SECRET} when set, else the node starts with its own and takes the one
     * the nodes share in Redis as soon as it reaches it (ClusterNode).
     */
    private byte[] nonceSecret(TrunkSettings settings) {
        if (cluster != null && cluster.nonceSecret().isPresent()) {
            return cluster.nonceSecret().get();
        }
        return new NonceSecretFile(settings.dataDir()).readOrCreate();
    }

    /** Another node changed provisioning (issue 20): the snapshot is read again, if the database is loaded. */
    private void reloadConfiguration(Trunk trunk) {
        if (databaseFailure != null) {
            return; // the first load is still to come, and it reads everything
        }
        long startedNanos = System.nanoTime();
        try {
            publisher.publish(trunk);
            LOG.info(() -> "Provisioning changed on another node: read again in "
                    + (System.nanoTime() - startedNanos) / 1_000_000 + " ms");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Provisioning changed on another node but could not be read", e);
        }
    }

    /** Another node stored a customer's registrations (-1: all of them, after a reconnection). */
    private void reloadBindings(Trunk trunk, long customerId) {
        if (databaseFailure != null) {
            return;
        }
        try {
            long now = System.currentTimeMillis();
            if (customerId < 0) {
                trunk.bindings().load(bindingPersistence.loadUnexpired(now));
            } else {
                List<Binding> stored = bindingPersistence.loadCustomer(customerId, now);
                trunk.bindings().replace(customerId, stored);
                LOG.fine(() -> "Registrations of customer " + customerId + " stored on another node: " + stored.size());
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Registrations stored on another node could not be read", e);
        }
    }

    /** Tells the other nodes that provisioning changed here (after the commit). */
    void configurationChanged() {
        if (cluster != null) {
            cluster.configurationChanged();
        }
    }

    /**
     * What needs the database before calls can be judged: the schema, customers' origids, the
     * registrations, the first configuration snapshot. False (and the reason kept for /health) when
     * the database does not answer; each step is idempotent, so the whole is simply tried again.
     */
    private boolean loadFromDatabase(Trunk trunk) {
        try {
            String version = SchemaMigration.migrate(dataSource);
            int origids = store.assignMissingOrigids();
            if (origids > 0) {
                LOG.info("Gave " + origids + " customers their STIR/SHAKEN origid");
            }
            int loaded = trunk.bindings().load(bindingPersistence.loadUnexpired(System.currentTimeMillis()));
            LOG.info(() -> "Registrar: " + loaded + " registered contacts loaded");
            publisher.publish(trunk);
            boolean retried = databaseFailure != STARTING;
            databaseFailure = null;
            LOG.info("OpenTrunk database schema at version " + version + "; configuration loaded"
                    + (retried ? " (the database answers again)" : ""));
            return true;
        } catch (Exception e) {
            String why = "the database does not answer yet: " + e;
            if (!why.equals(databaseFailure)) {
                LOG.warning("OpenTrunk cannot load its configuration (" + why + "); calls are refused and OPTIONS answer"
                        + " 503 until it can; trying again every " + DATABASE_RETRY.toSeconds() + " s");
            }
            databaseFailure = why.length() > MAX_FAILURE_TEXT ? why.substring(0, MAX_FAILURE_TEXT) : why;
            return false;
        }
    }

    /**
     * IC-TLS: the certificate Liberty's TLS listeners serve and the carrier CAs they trust, kept in
     * the key store file tls.xml names; looked at again every {@link #TLS_REFRESH} (renewed PEM
     * files, changed carrier CAs), on a thread of its own: keytool and file reads never run on a
     * SIP thread.
     */
    private void startTlsKeyMaterial(TrunkSettings settings) {
        if (!settings.tls().sipTlsOn() && !settings.tls().httpsOn()) {
            LOG.info("TLS is off (OT_SIP_TLS_PORT=0, OT_HTTPS_PORT=0)");
            return;
        }
        String host = settings.sipHost();
        String ip = host.matches("\\d{1,3}(\\.\\d{1,3}){3}") ? host : null;
        TlsKeyMaterial material = new TlsKeyMaterial(settings.dataDir().resolve("tls"),
                settings.tls().keyStorePassword().toCharArray(), settings.tls().certificate(), settings.tls().privateKey(),
                settings.sipDomain(), ip, this::carrierCas);
        material.refresh();
        SipTlsListenerCheck listener = settings.tls().sipTlsOn()
                ? new SipTlsListenerCheck(settings.sipHost(), settings.tls().sipTlsPort()) : null;
        tlsRefresh = Executors.newSingleThreadScheduledExecutor(threads);
        tlsRefresh.scheduleWithFixedDelay(() -> {
            material.refresh();
            if (listener != null) {
                listener.check();
            }
        }, TLS_REFRESH.toMillis(), TLS_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The carriers' CAs; the last ones read while the database does not answer. */
    private java.util.Map<String, String> carrierCas() {
        if (databaseFailure == null) {
            try {
                carrierCas = store.carrierCaPems();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "carrier CAs not read this time", e);
            }
        }
        return carrierCas;
    }

    /**
     * Opens the file fail2ban watches (issue 25; OT_SECURITY_LOG moves it). A file that cannot be
     * opened is logged and the lines still reach the server's log: no security event stops the trunk.
     */
    private void openSecurityLog() {
        String configured = environment().apply("OT_SECURITY_LOG");
        Path path = configured == null || configured.isBlank()
                ? serverDir().resolve("logs").resolve(SECURITY_LOG_FILE) : Path.of(configured.trim());
        try {
            SecurityLog.writeTo(path);
            LOG.info(() -> "Security log (fail2ban): " + path);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "The security log " + path + " cannot be written; its lines go to the"
                    + " server log only (logger " + SecurityLog.LOGGER_NAME + ")", e);
        }
    }

    /** At the application's end: the checks stop, every CDR still queued is written (IC-CDR), the security log closes. */
    synchronized void close() {
        closed = true;
        if (databaseRetry != null) {
            databaseRetry.shutdownNow();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (tlsRefresh != null) {
            tlsRefresh.shutdownNow();
        }
        if (built != null) {
            built.health().close();
            built.cdrs().close();
            built.trunk().metrics().close(); // the GC binder's JMX listeners, whether or not the SIP servlet ever started
        }
        if (hep != null) {
            hep.close();
        }
        SecurityLog.closeFile();
    }
}
