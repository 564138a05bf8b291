package org.opentrunk.testing;

import java.io.IOException;
import java.time.Duration;
import org.jboss.arquillian.container.spi.event.container.AfterDeploy;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Holds every Arquillian test back until the deployed SIP application answers an OPTIONS.
 * Liberty reports the application started (and Arquillian starts the tests) a few milliseconds
 * before its SIP container routes requests to the servlet; a request in that window is answered
 * by the container ("CWSCT0017E: Mapping for nonexisting siplet", with sipNoRouteErrorCode, 503),
 * which made the first request of a test class fail now and then.
 */
public final class SipReadiness implements LoadableExtension {

    /** How long a deployment may take to route SIP requests before the tests go ahead anyway. */
    private static final Duration READY_LIMIT = Duration.ofSeconds(30);
    /** An address no test gives a role, so the OPTIONS counts for no customer, carrier or block. */
    private static final String PROBE_ADDRESS = "127.0.0.250";
    private static final Duration ONE_TRY = Duration.ofMillis(250);

    @Override
    public void register(ExtensionBuilder builder) {
        builder.observer(SipReadiness.class);
    }

    /** Called by Arquillian after each deployment. */
    public void awaitSipRouting(@Observes AfterDeploy event) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + READY_LIMIT.toNanos();
        int tries = 0;
        try (SipTestClient probe = new SipTestClient(SipTestClient.Transport.UDP, PROBE_ADDRESS,
                SipTestClient.address(TestNet.TRUNK_HOST, TestNet.TRUNK_PORT))) {
            while (System.nanoTime() < deadline) {
                try {
                    tries++;
                    int status = probe.request(probe.newRequest("OPTIONS", "sip:" + TestNet.TRUNK_DOMAIN, "", ""), ONE_TRY).status();
                    if (status == 200) {
                        if (tries > 1) {
                            System.out.printf("SIP application answered OPTIONS %d ms after its deployment (try %d)%n",
                                    Duration.ofNanos(System.nanoTime() - start).toMillis(), tries);
                        }
                        return;
                    }
                } catch (AssertionError noAnswer) {
                    // not listening yet
                }
                Thread.sleep(ONE_TRY.toMillis());
            }
        }
        System.err.println("SIP application not answering OPTIONS " + READY_LIMIT + " after its deployment");
    }
}
