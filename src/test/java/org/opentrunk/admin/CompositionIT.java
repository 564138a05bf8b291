package org.opentrunk.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.time.Duration;
import javax.enterprise.inject.spi.CDI;
import javax.inject.Inject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrunk.sip.Trunk;

/**
 * The application's wiring, from inside the deployed WAR (a testable deployment: this class runs
 * in the server, with CDI injection): the composition root builds each service once, every part
 * of the application gets that one, and the settings are the server's variables
 * (src/test/liberty/arq/server.xml).
 */
@ExtendWith(ArquillianExtension.class)
class CompositionIT {

    @Deployment
    static WebArchive deployment() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/opentrunk.war"))
                .addClass(CompositionIT.class);
    }

    @Inject
    private TrunkAssembly assembly;
    @Inject
    private Trunk injected;
    @Inject
    private ConfigPublisher publisher;
    @Inject
    private org.opentrunk.sip.LiveCalls liveCalls;
    @Inject
    private org.opentrunk.core.limits.CallAdmission channels;
    @Inject
    private org.opentrunk.core.settings.TrunkSettings settings;

    @Test
    void everyServiceIsBuiltOnceAndSharedByAll() {
        Trunk trunk = assembly.trunk();
        assertSame(trunk, injected, "the producer hands out the assembly's trunk");
        assertSame(trunk, CDI.current().select(Trunk.class).get(), "what the SIP servlet looks up");
        assertSame(assembly.cdrs(), assembly.cdrs());
        assertSame(assembly.health(), assembly.health());
        assertSame(assembly.settings(), trunk.settings(), "one reading of the settings");
        assertSame(trunk.settings(), settings);
        assertSame(trunk.liveCalls(), liveCalls, "the beans' services are the call path's");
        assertSame(trunk.callAdmission(), channels);
    }

    @Test
    void theSettingsAreTheServersVariables() {
        assertEquals("trunk.test", assembly.settings().sipDomain());
        assertEquals(Duration.ofSeconds(2), assembly.settings().failoverTimeout());
        assertEquals(Duration.ofSeconds(3), assembly.settings().nonceLifetime());
        assertEquals(5, assembly.settings().inbound().registerMinExpires());
    }

    @Test
    void aPublishedChangeReachesTheTrunkThatCallsUse() {
        var before = assembly.trunk().config().current();
        publisher.publish();
        assertTrue(assembly.trunk().config().current() != before, "a new snapshot is swapped in");
    }
}
