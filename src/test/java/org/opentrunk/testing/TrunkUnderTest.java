package org.opentrunk.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The OpenTrunk server the in-container tests run against: its WAR and its JMX counters. */
public final class TrunkUnderTest implements AutoCloseable {

    private static final Path LOGS = Path.of(System.getProperty("arq.wlpHome", "target/liberty/wlp"),
            "usr/servers/" + System.getProperty("arq.serverName", "arq") + "/logs");
    /** Where Liberty's local connector publishes the JMX address of the arq server. */
    private static final Path JMX_ADDRESS_FILE = LOGS.resolve("state/com.ibm.ws.jmx.local.address");

    private final JMXConnector connector;
    private final MBeanServerConnection mbeans;

    private TrunkUnderTest(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.mbeans = connector.getMBeanServerConnection();
    }

    /**
     * The application exactly as built by {@code mvn package}. Tests provision it through the
     * REST API ({@link TestNetProvisioning}).
     */
    public static WebArchive deployment() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/opentrunk.war"));
    }

    /** The arq server's messages.log (what Liberty and OpenTrunk log at INFO and above). */
    public static Path messagesLog() {
        return LOGS.resolve("messages.log");
    }

    public static TrunkUnderTest connect() {
        try {
            String url = Files.readString(JMX_ADDRESS_FILE).trim();
            return new TrunkUnderTest(JMXConnectorFactory.connect(new JMXServiceURL(url)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the arq server over JMX via " + JMX_ADDRESS_FILE, e);
        }
    }

    /**
     * Waits until the container holds no SIP application session (every call ended and released);
     * false when some are still there after {@code limit}.
     */
    public boolean awaitNoApplicationSessions(java.time.Duration limit) {
        try {
            org.awaitility.Awaitility.await("no live SIP application sessions").atMost(limit).pollInSameThread()
                    .pollDelay(java.time.Duration.ZERO).pollInterval(java.time.Duration.ofMillis(200))
                    .until(() -> liveApplicationSessions() == 0);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException stillThere) {
            return false;
        }
    }

    public long liveApplicationSessions() throws Exception {
        return (Long) mbeans.getAttribute(new ObjectName("org.opentrunk:type=SessionCounts"), "LiveApplicationSessions");
    }

    public long liveSipSessions() throws Exception {
        return (Long) mbeans.getAttribute(new ObjectName("org.opentrunk:type=SessionCounts"), "LiveSipSessions");
    }

    public long createdApplicationSessions() throws Exception {
        return (Long) mbeans.getAttribute(new ObjectName("org.opentrunk:type=SessionCounts"), "CreatedApplicationSessions");
    }

    /** Live threads of the server JVM. */
    public int threadCount() throws Exception {
        return (Integer) mbeans.getAttribute(new ObjectName(ManagementFactory.THREAD_MXBEAN_NAME), "ThreadCount");
    }

    /** Heap in use after full collections (the least of a few, to let finalization settle). */
    public long heapUsedAfterGc() throws Exception {
        MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(mbeans,
                ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            memory.gc();
            Thread.sleep(200); // not synchronisation: lets finalization after the GC settle (nothing to poll for)
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /** The server JVM's class histogram after a full GC (jcmd GC.class_histogram), as text. */
    public String classHistogram() throws Exception {
        return (String) mbeans.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
