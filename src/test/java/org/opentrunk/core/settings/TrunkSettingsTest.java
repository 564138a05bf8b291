package org.opentrunk.core.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrunkSettingsTest {

    private static final Path DATA = Path.of("/var/lib/opentrunk");

    @Test
    void defaultsNeedNoSetup() {
        TrunkSettings s = TrunkSettings.from(Map.<String, String>of()::get, DATA);
        assertEquals("*", s.sipHost());
        assertEquals(5060, s.sipPort());
        assertEquals(9080, s.httpPort());
        assertEquals("opentrunk.local", s.sipDomain());
        assertEquals(Optional.empty(), s.adminPassword());
        assertEquals(DATA, s.dataDir());
        assertEquals(java.time.Duration.ofSeconds(4), s.failoverTimeout());
    }

    @Test
    void tlsIsOnByDefaultWithASelfSignedCertificate() {
        TlsSettings tls = TrunkSettings.from(Map.<String, String>of()::get, DATA).tls();
        assertEquals(5061, tls.sipTlsPort());
        assertEquals(9443, tls.httpsPort());
        assertEquals(Optional.empty(), tls.certificate());
        TlsSettings off = TrunkSettings.from(Map.of("OT_SIP_TLS_PORT", "0", "OT_HTTP_PORT", "0")::get, DATA).tls();
        assertTrue(!off.sipTlsOn() && off.httpsOn(), "HTTPS only");
        assertThrows(InvalidSettingException.class, () -> TrunkSettings.from(Map.of("OT_HTTP_PORT", "0", "OT_HTTPS_PORT", "0")::get, DATA),
                "the admin needs one of them");
        InvalidSettingException half = assertThrows(InvalidSettingException.class,
                () -> TrunkSettings.from(Map.of("OT_TLS_CERT", "/etc/ot/cert.pem")::get, DATA));
        assertTrue(half.getMessage().contains("OT_TLS_KEY"), half.getMessage());
    }

    @Test
    void failoverTimeoutStaysBelowTheInviteTimeout() {
        assertEquals(java.time.Duration.ofSeconds(2),
                TrunkSettings.from(Map.of("OT_FAILOVER_TIMEOUT", "2")::get, DATA).failoverTimeout());
        assertThrows(InvalidSettingException.class, () -> TrunkSettings.from(Map.of("OT_FAILOVER_TIMEOUT", "32")::get, DATA));
        assertThrows(InvalidSettingException.class, () -> TrunkSettings.from(Map.of("OT_FAILOVER_TIMEOUT", "soon")::get, DATA));
    }

    @Test
    void environmentOverridesDefaults() {
        Map<String, String> env = Map.of("OT_SIP_HOST", "203.0.113.7", "OT_SIP_PORT", "5080",
                "OT_HTTP_PORT", "8080", "OT_SIP_DOMAIN", "Trunk.Example.NET", "OT_ADMIN_PASSWORD", "s3cret",
                "OT_DATA_DIR", "/srv/ot");
        TrunkSettings s = TrunkSettings.from(env::get, DATA);
        assertEquals("203.0.113.7", s.sipHost());
        assertEquals(5080, s.sipPort());
        assertEquals(8080, s.httpPort());
        assertEquals("trunk.example.net", s.sipDomain(), "domains compare case-insensitively");
        assertEquals(Optional.of("s3cret"), s.adminPassword());
        assertEquals(Path.of("/srv/ot"), s.dataDir());
    }

    @Test
    void theAdminPasswordNeverReachesALog() {
        String text = TrunkSettings.from(Map.of("OT_ADMIN_PASSWORD", "hunter2-secret")::get, DATA).toString();
        assertTrue(text.contains("adminPassword=set") && !text.contains("hunter2"), text);
    }

    @Test
    void blankValuesMeanDefault() {
        TrunkSettings s = TrunkSettings.from(Map.of("OT_SIP_PORT", " ", "OT_ADMIN_PASSWORD", "")::get, DATA);
        assertEquals(5060, s.sipPort());
        assertEquals(Optional.empty(), s.adminPassword());
    }

    @Test
    void badPortIsNamedInTheError() {
        for (String bad : new String[] {"sip", "0", "65536", "-5"}) {
            InvalidSettingException e = assertThrows(InvalidSettingException.class,
                    () -> TrunkSettings.from(Map.of("OT_SIP_PORT", bad)::get, DATA));
            assertTrue(e.getMessage().startsWith("OT_SIP_PORT=" + bad), e.getMessage());
        }
    }

    @Test
    void literalWildcardAddressIsRefusedBecauseLibertyWouldStayDeaf() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> TrunkSettings.from(Map.of("OT_SIP_HOST", "0.0.0.0")::get, DATA));
        assertTrue(e.getMessage().contains("* for every interface"), e.getMessage());
    }

    @Test
    void inboundAndSecuritySettingsHaveDefaultsAndBounds() {
        TrunkSettings defaults = TrunkSettings.from(Map.<String, String>of()::get, DATA);
        assertEquals(java.util.Optional.empty(), defaults.inbound().cnamUrl());
        assertEquals(java.util.Optional.empty(), defaults.inbound().dnsServer());
        assertEquals(60, defaults.inbound().registerMinExpires());
        assertEquals(3600, defaults.inbound().registerMaxExpires());
        assertEquals(java.time.Duration.ofSeconds(30), defaults.inbound().keepaliveInterval());
        assertEquals(10, defaults.security().authMaxFailures());
        assertEquals(java.time.Duration.ofMinutes(10), defaults.security().authBlockTime());
        assertEquals(1000, defaults.security().maxInvitesInProgress());

        TrunkSettings set = TrunkSettings.from(Map.of("OT_CNAM_URL", " http://127.0.0.1:8089/c?n={number} ",
                "OT_DNS_SERVER", "127.0.0.1:5353", "OT_REGISTER_MIN_EXPIRES", "5", "OT_KEEPALIVE_INTERVAL", "0",
                "OT_MAX_INVITES_PER_SOURCE", "0")::get, DATA);
        assertEquals("http://127.0.0.1:8089/c?n={number}", set.inbound().cnamUrl().orElseThrow());
        assertEquals("127.0.0.1:5353", set.inbound().dnsServer().orElseThrow());
        assertEquals(5, set.inbound().registerMinExpires());
        assertEquals(java.time.Duration.ZERO, set.inbound().keepaliveInterval());
        assertEquals(0, set.security().maxInvitesPerSource());

        InvalidSettingException inverted = assertThrows(InvalidSettingException.class, () -> TrunkSettings.from(
                Map.of("OT_REGISTER_MIN_EXPIRES", "600", "OT_REGISTER_MAX_EXPIRES", "300")::get, DATA));
        assertTrue(inverted.getMessage().contains("OT_REGISTER_MIN_EXPIRES"), inverted::getMessage);
        assertThrows(InvalidSettingException.class, () -> TrunkSettings.from(Map.of("OT_AUTH_MAX_FAILURES", "0")::get, DATA));
    }

    @Test
    void digestAlgorithmsAreTheOperatorsChoiceInOrder() {
        assertEquals(java.util.List.of(org.opentrunk.core.auth.digest.DigestAlgorithm.MD5),
                TrunkSettings.from(Map.<String, String>of()::get, DATA).security().digestAlgorithms(), "the default");
        assertEquals(java.util.List.of(org.opentrunk.core.auth.digest.DigestAlgorithm.SHA_256,
                org.opentrunk.core.auth.digest.DigestAlgorithm.MD5),
                TrunkSettings.from(Map.of("OT_DIGEST_ALGORITHMS", "SHA-256,MD5")::get, DATA).security().digestAlgorithms());
        assertEquals(java.util.List.of(org.opentrunk.core.auth.digest.DigestAlgorithm.MD5),
                TrunkSettings.from(Map.of("OT_DIGEST_ALGORITHMS", " md5 ")::get, DATA).security().digestAlgorithms());
        assertThrows(InvalidSettingException.class,
                () -> TrunkSettings.from(Map.of("OT_DIGEST_ALGORITHMS", "SHA-512")::get, DATA));
    }

    @Test
    void everyBadVariableIsNamedInOneStart() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> TrunkSettings.from(Map.of(
                "OT_SIP_PORT", "99999", "OT_FAILOVER_TIMEOUT", "soon", "OT_RTP_PORTS", "a-b",
                "OT_DIGEST_ALGORITHMS", "SHA-512", "OT_AUTH_MAX_FAILURES", "0")::get, DATA));
        java.util.List<String> names = e.problems().stream().map(p -> p.substring(0, p.indexOf('='))).toList();
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("OT_SIP_PORT", "OT_FAILOVER_TIMEOUT",
                "OT_AUTH_MAX_FAILURES", "OT_DIGEST_ALGORITHMS", "OT_RTP_PORTS"), names, e::getMessage);
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("5 settings are not valid: "), e.getMessage());
    }
}
