package org.opentrunk.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A private DNS server for tests: dnsmasq (Debian package dnsmasq-base, installed by ./test.sh)
 * on a free loopback port, serving only the records given to its {@link Builder}, started in the
 * foreground and killed by {@link #close()}. It forwards nothing: it answers authoritatively for
 * the top-level domains of its records (unknown names there get NXDOMAIN) and refuses the rest.
 *
 * <pre>
 * try (Dnsmasq dns = Dnsmasq.builder()
 *         .srv("_sip._udp.example.test", "pbx1.example.test", 5070, 10, 60)
 *         .a("pbx1.example.test", "127.0.0.11")
 *         .start()) {
 *     new SipTargetResolver(dns.server()) ...
 * }
 * </pre>
 */
public final class Dnsmasq implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/dnsmasq");
    /** TTL of every record served, unless the builder says otherwise. */
    public static final int DEFAULT_TTL_SECONDS = 60;
    /** The name dnsmasq gives itself in the NS and SOA records of its zones. */
    public static final String NAME_SERVER = "ns.dnsmasq.test";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final int port;
    private final Path log;

    private Dnsmasq(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code 127.0.0.1:<port>}, as a DNS server setting takes it. */
    public String server() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** What dnsmasq logged so far (with every query it was asked), for assertions. */
    public String log() {
        return readLog(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The records dnsmasq is to serve; {@link #start()} runs it. */
    public static final class Builder {
        private final List<String> records = new ArrayList<>();
        private final Set<String> topLevelDomains = new LinkedHashSet<>();
        private int ttlSeconds = DEFAULT_TTL_SECONDS;
        private int fixedPort;

        private Builder() {
        }

        /** An SRV record: {@code name} such as {@code _sip._udp.example.test}. */
        public Builder srv(String name, String target, int port, int priority, int weight) {
            records.add("--srv-host=" + name + "," + target + "," + port + "," + priority + "," + weight);
            return owned(name);
        }

        /** A NAPTR record; {@code regexp} is usually empty for SIP, {@code replacement} an SRV name. */
        public Builder naptr(String name, int order, int preference, String flags, String service, String regexp,
                String replacement) {
            records.add("--naptr-record=" + name + "," + order + "," + preference + "," + flags + "," + service + ","
                    + regexp + "," + replacement);
            return owned(name);
        }

        /** An A record; give one host several to serve several addresses. */
        public Builder a(String host, String ipv4) {
            records.add("--host-record=" + host + "," + ipv4);
            return owned(host);
        }

        /** TTL of every record served. */
        /** Listen on this port (e.g. the one a test server's OT_DNS_SERVER names) instead of a free one. */
        public Builder port(int fixed) {
            this.fixedPort = fixedPort(fixed);
            return this;
        }

        private static int fixedPort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port);
            }
            return port;
        }

        public Builder ttl(int seconds) {
            this.ttlSeconds = seconds;
            return this;
        }

        public Dnsmasq start() throws IOException, InterruptedException {
            if (!Files.isExecutable(BINARY)) {
                throw new IllegalStateException(BINARY + " is missing; ./test.sh installs dnsmasq-base");
            }
            Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
            Path dir = Files.createTempDirectory(target, "dnsmasq-");
            IllegalStateException failure = null;
            int attempts = fixedPort > 0 ? 1 : START_ATTEMPTS;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                int port = fixedPort > 0 ? fixedPort : freeUdpPort();
                Path log = dir.resolve("dnsmasq-" + port + ".log");
                Process process = new ProcessBuilder(command(port, dir))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                Dnsmasq dns = new Dnsmasq(process, port, log);
                if (answers(process, port)) {
                    return dns;
                }
                dns.close();
                // most likely the TCP side of the port was taken: try another
                failure = new IllegalStateException("dnsmasq did not answer on port " + port + ":\n" + readLog(log));
            }
            throw failure;
        }

        private Builder owned(String name) {
            String[] labels = name.toLowerCase(Locale.ROOT).split("\\.");
            topLevelDomains.add(labels[labels.length - 1]);
            return this;
        }

        private List<String> command(int port, Path dir) {
            List<String> command = new ArrayList<>(List.of(BINARY.toString(),
                    "--keep-in-foreground", "--no-daemon",
                    "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces",
                    "--no-resolv", "--no-hosts", "--no-poll", "--conf-file=/dev/null",
                    "--log-facility=-", "--log-queries", "--pid-file=" + dir.resolve("dnsmasq-" + port + ".pid"),
                    "--local-ttl=" + ttlSeconds));
            // Authoritative for the top-level domains of its records, as a real zone's server is:
            // unknown names there get NXDOMAIN or no data, with the SOA a resolver needs to cache
            // that negative answer (RFC 2308); its TTL is the records' TTL.
            command.add("--auth-server=" + NAME_SERVER + ",127.0.0.1");
            command.add("--auth-ttl=" + ttlSeconds);
            for (String tld : topLevelDomains) {
                command.add("--auth-zone=" + tld);
            }
            command.addAll(records);
            return command;
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return socket.getLocalPort();
        }
    }

    /** Waits until dnsmasq answers a query (any answer): false when it exited or stayed silent. */
    private static boolean answers(Process process, int port) throws InterruptedException {
        SimpleResolver probe = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        probe.setTimeout(Duration.ofMillis(200));
        Message query = Message.newQuery(Record.newRecord(Name.root, Type.SOA, DClass.IN));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                probe.send(query);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
