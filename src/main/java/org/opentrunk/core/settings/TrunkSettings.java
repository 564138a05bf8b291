package org.opentrunk.core.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.opentrunk.core.routing.Failover;
import org.opentrunk.core.timer.SessionTimerRules;
import java.util.Optional;

/**
 * OpenTrunk's operator settings, read once at start-up from {@code OT_*} environment variables.
 * The SIP and HTTP listeners themselves are bound by Liberty from the same variables
 * (server.xml); the application reads them to know its own identity.
 *
 * @param sipHost       address the SIP listeners bind to ({@code OT_SIP_HOST})
 * @param sipPort       UDP and TCP port of the SIP listeners ({@code OT_SIP_PORT})
 * @param httpPort      port of the admin page and REST API ({@code OT_HTTP_PORT}); 0 = HTTPS only
 * @param sipDomain     the trunk's domain in Request-URIs ({@code OT_SIP_DOMAIN}); requests
 *                      addressed to it or to the listening address are OpenTrunk's own
 * @param adminPassword initial password of the {@code admin} user, if the operator set one
 * @param dataDir       where OpenTrunk keeps its files ({@code OT_DATA_DIR}): the embedded
 *                      database, journals, the admin credential
 * @param failoverTimeout how long a carrier may stay silent (not even 100 Trying) before the
 *                      next one is tried ({@code OT_FAILOVER_TIMEOUT}, seconds)
 * @param nonceLifetime how long a digest nonce is good for ({@code OT_NONCE_LIFETIME}, seconds)
 * @param carrierProbeInterval how often carriers get an OPTIONS probe
 *                      ({@code OT_CARRIER_PROBE_INTERVAL}, seconds; 0 = no probes)
 * @param fraudGuardCallsPerMinute calls a customer may place to one country per minute before
 *                      that country is suspended for it ({@code OT_FRAUD_GUARD_CALLS_PER_MINUTE}; 0 = off)
 * @param sessionExpires session-timer interval OpenTrunk asks for and uses by default
 *                      ({@code OT_SESSION_EXPIRES}, seconds; IC-TIMER)
 * @param sessionMinSe  smallest session-timer interval accepted ({@code OT_SESSION_MIN_SE}, seconds)
 * @param inbound       inbound calls and the registrar
 * @param security      brute-force and flood protection
 * @param media         media anchoring (customers with {@code anchorMedia})
 * @param tls           SIP over TLS and HTTPS (IC-TLS)
 * @param front         behind a SIP front: trusted fronts, outbound proxy (docs/cluster.md)
 */
public record TrunkSettings(String sipHost, int sipPort, int httpPort, String sipDomain,
                            Optional<String> adminPassword, Path dataDir, Duration failoverTimeout,
                            Duration nonceLifetime, Duration carrierProbeInterval, int fraudGuardCallsPerMinute,
                            int sessionExpires, int sessionMinSe, InboundSettings inbound,
                            SecuritySettings security, MediaAnchoringSettings media,
                            TlsSettings tls, FrontSettings front) {

    /** For logs: every setting, the admin password only as "set" or "not set". */
    @Override
    public String toString() {
        return "TrunkSettings[sipHost=" + sipHost + ", sipPort=" + sipPort + ", httpPort=" + httpPort + ", sipDomain="
                + sipDomain + ", adminPassword=" + (adminPassword.isPresent() ? "set" : "not set") + ", dataDir=" + dataDir
                + ", failoverTimeout=" + failoverTimeout + ", nonceLifetime=" + nonceLifetime
                + ", carrierProbeInterval=" + carrierProbeInterval + ", fraudGuardCallsPerMinute=" + fraudGuardCallsPerMinute + ", sessionExpires=" + sessionExpires
                + ", sessionMinSe=" + sessionMinSe + ", " + inbound + ", " + security + ", " + media + ", " + tls + ", " + front + "]";
    }

    /** Every interface, in Liberty's spelling (see {@link #WILDCARD_IPV4}). */
    public static final String DEFAULT_SIP_HOST = "*";
    /**
     * Refused as {@code OT_SIP_HOST}: Liberty's SIP container binds to it but then routes no
     * request to the application, which would leave a trunk silently deaf.
     */
    public static final String WILDCARD_IPV4 = "0.0.0.0";
    public static final int DEFAULT_SIP_PORT = 5060;
    public static final int DEFAULT_HTTP_PORT = 9080;
    public static final String DEFAULT_SIP_DOMAIN = "opentrunk.local";
    /** The failover timer must fire before the INVITE transaction's own 32 s timeout. */
    public static final int MAX_FAILOVER_SECONDS = 30;
    /** RFC 7616 leaves it to the server; five minutes covers a slow PBX and bounds replay memory. */
    public static final long DEFAULT_NONCE_LIFETIME_SECONDS = 300;
    /** Kamailio's dispatcher default is 30 s as well: a dead carrier is found within a minute. */
    public static final long DEFAULT_PROBE_SECONDS = 30;
    /**
     * One call a second to a single country, sustained for a minute, from one customer: far above
     * what an office PBX places abroad, well below what a hijacked one pumps.
     */
    public static final long DEFAULT_FRAUD_GUARD_PER_MINUTE = 60;
    /** RFC 4028's recommended interval: half an hour. */
    public static final long DEFAULT_SESSION_EXPIRES = 1800;

    /**
     * Reads the settings by name from {@code env}: environment variables, or whatever source
     * layers them over the server's defaults (MicroProfile Config in the container).
     *
     * @param defaultDataDir the data directory when {@code OT_DATA_DIR} is not set
     */
    public static TrunkSettings from(Function<String, String> environment, Path defaultDataDir) {
        SettingProblems env = new SettingProblems(environment);
        TrunkSettings settings = null;
        try {
            settings = read(env, defaultDataDir);
        } catch (InvalidSettingException crossCheck) {
            SettingProblems.report(env, crossCheck); // a rule between two values, checked when both are read
        }
        if (!env.problems().isEmpty()) {
            throw new InvalidSettingException(env.problems());
        }
        return settings;
    }

    private static TrunkSettings read(SettingProblems env, Path defaultDataDir) {
        String sipHost = text(env, "OT_SIP_HOST", DEFAULT_SIP_HOST);
        if (WILDCARD_IPV4.equals(sipHost)) {
            SettingProblems.report(env, new InvalidSettingException("OT_SIP_HOST", sipHost,
                    "an interface address, or * for every interface"));
            sipHost = DEFAULT_SIP_HOST;
        }
        return new TrunkSettings(
                sipHost,
                port(env, "OT_SIP_PORT", DEFAULT_SIP_PORT),
                (int) number(env, "OT_HTTP_PORT", DEFAULT_HTTP_PORT, 0, 65535),
                text(env, "OT_SIP_DOMAIN", DEFAULT_SIP_DOMAIN).toLowerCase(java.util.Locale.ROOT),
                Optional.ofNullable(env.apply("OT_ADMIN_PASSWORD")).filter(p -> !p.isEmpty()),
                Path.of(text(env, "OT_DATA_DIR", defaultDataDir.toString())),
                Duration.ofSeconds(number(env, "OT_FAILOVER_TIMEOUT", Failover.DEFAULT_NO_ANSWER_TIMEOUT.toSeconds(),
                        1, MAX_FAILOVER_SECONDS)),
                Duration.ofSeconds(number(env, "OT_NONCE_LIFETIME", DEFAULT_NONCE_LIFETIME_SECONDS, 1, 3600)),
                Duration.ofSeconds(number(env, "OT_CARRIER_PROBE_INTERVAL", DEFAULT_PROBE_SECONDS, 0, 3600)),
                (int) number(env, "OT_FRAUD_GUARD_CALLS_PER_MINUTE", DEFAULT_FRAUD_GUARD_PER_MINUTE, 0, 1_000_000),
                (int) number(env, "OT_SESSION_EXPIRES", DEFAULT_SESSION_EXPIRES, 1, 86_400),
                (int) number(env, "OT_SESSION_MIN_SE", SessionTimerRules.RFC_MIN_SE, 1, 86_400),
                new InboundSettings(
                        Optional.ofNullable(env.apply("OT_CNAM_URL")).map(String::trim).filter(u -> !u.isEmpty()),
                        Optional.ofNullable(env.apply("OT_DNS_SERVER")).map(String::trim).filter(u -> !u.isEmpty()),
                        (int) number(env, "OT_REGISTER_MIN_EXPIRES", InboundSettings.DEFAULT_REGISTER_MIN_EXPIRES, 1, 86_400),
                        (int) number(env, "OT_REGISTER_MAX_EXPIRES", InboundSettings.DEFAULT_REGISTER_MAX_EXPIRES, 1, 86_400),
                        Duration.ofSeconds(number(env, "OT_KEEPALIVE_INTERVAL", InboundSettings.DEFAULT_KEEPALIVE_SECONDS, 0, 3600))),
                SecuritySettings.from(env),
                MediaAnchoringSettings.from(env),
                tls(env),
                FrontSettings.from(env));
    }

    private static TlsSettings tls(SettingProblems env) {
        TlsSettings tls = TlsSettings.from(env);
        String http = env.apply("OT_HTTP_PORT");
        if (!tls.httpsOn() && http != null && http.trim().equals("0")) {
            SettingProblems.report(env, new InvalidSettingException("OT_HTTP_PORT", "0",
                    "a port while OT_HTTPS_PORT is 0 (the admin and the API need one of them)"));
        }
        return tls;
    }

    private static String text(Function<String, String> env, String name, String fallback) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    static long number(Function<String, String> env, String name, long fallback, long min, long max) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        SettingProblems.report(env, new InvalidSettingException(name, value, "a whole number from " + min + " to " + max));
        return fallback;
    }

    private static int port(Function<String, String> env, String name, int fallback) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        SettingProblems.report(env, new InvalidSettingException(name, value, "a port number from 1 to 65535"));
        return fallback;
    }
}
