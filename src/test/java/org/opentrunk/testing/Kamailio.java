package org.opentrunk.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Kamailio (Debian {@code kamailio}, installed by ./test.sh) as a customer's SIP front: the proxy a
 * customer puts before several PBXs. The configuration written under
 * {@code target/interop/kamailio-<name>/} record-routes each new INVITE and forwards it to
 * OpenTrunk over TCP, with the customer's tech prefix before the number (IP authentication: the
 * proxy's address is the customer's). The process runs in the foreground of its own PID, is
 * stopped with SIGTERM, and logs to {@code kamailio.log} in the same directory.
 */
public final class Kamailio implements AutoCloseable {

    static final Duration START_WAIT = Duration.ofSeconds(15);
    static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final long RETRY_MS = 100;
    private static final String MODULES = "/usr/lib/x86_64-linux-gnu/kamailio/modules/";
    /** Shared and private memory in MB: the defaults (64/8) are far more than a test needs. */
    private static final String SHARED_MB = "32";
    private static final String PRIVATE_MB = "4";

    private final Path dir;
    private final Process process;

    private Kamailio(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /**
     * Starts Kamailio on {@code address}:{@code port} (UDP and TCP), forwarding INVITEs to
     * {@code sip:<techPrefix>*<number>@<trunkDomain>} via {@code trunkHostPort} over TCP.
     */
    public static Kamailio start(String name, String address, int port, String techPrefix, String trunkDomain,
                                 String trunkHostPort) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Baresip.OUTPUT.resolve("kamailio-" + name).toAbsolutePath());
        Path config = dir.resolve("kamailio.cfg");
        Files.writeString(config, String.join("\n",
                "#!KAMAILIO",
                "debug=2",
                "log_stderror=yes",
                "children=2",
                "tcp_children=2",
                // no name service in a test: nothing to resolve, and no wait for a resolver
                "dns=no",
                "rev_dns=no",
                "auto_aliases=no",
                "listen=udp:" + address + ":" + port,
                "listen=tcp:" + address + ":" + port,
                "mpath=\"" + MODULES + "\"",
                "loadmodule \"tm.so\"",
                "loadmodule \"sl.so\"",
                "loadmodule \"rr.so\"",
                "loadmodule \"pv.so\"",
                "loadmodule \"maxfwd.so\"",
                "loadmodule \"textops.so\"",
                "loadmodule \"siputils.so\"",
                "loadmodule \"xlog.so\"",
                "",
                "request_route {",
                "    if (!mf_process_maxfwd_header(\"10\")) { sl_send_reply(\"483\", \"Too Many Hops\"); exit; }",
                "    if (has_totag()) {",
                "        if (loose_route()) { t_relay(); exit; }",
                "        if (is_method(\"ACK\") && t_check_trans()) { t_relay(); }",
                "        exit;",
                "    }",
                "    if (is_method(\"CANCEL\")) { if (t_check_trans()) { t_relay(); } exit; }",
                "    if (!is_method(\"INVITE\")) { sl_send_reply(\"405\", \"Method Not Allowed\"); exit; }",
                "    record_route();",
                "    $ru = \"sip:" + techPrefix + "*\" + $rU + \"@" + trunkDomain + "\";",
                "    $du = \"sip:" + trunkHostPort + ";transport=tcp\";",
                // from the customer's address: without it the TCP connection takes the address of
                // the route towards the trunk, which OpenTrunk does not know as this customer's
                "    force_send_socket(tcp:" + address + ":" + port + ");",
                "    xlog(\"L_INFO\", \"INVITE $ci to $ru via $du\\n\");",
                "    if (!t_relay()) { sl_reply_error(); }",
                "    exit;",
                "}",
                ""));
        return launch(dir, config, address, port, java.util.Map.of());
    }

    /**
     * Starts Kamailio with a configuration of the caller's (e.g. the STIR/SHAKEN tests' secsipid
     * carriers), written to {@code kamailio.cfg} in its directory, with extra environment variables.
     */
    public static Kamailio start(String name, String address, int port, String configuration,
                                 java.util.Map<String, String> environment) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Baresip.OUTPUT.resolve("kamailio-" + name).toAbsolutePath());
        Path config = dir.resolve("kamailio.cfg");
        Files.writeString(config, configuration);
        return launch(dir, config, address, port, environment);
    }

    /** The directory of its configuration, runtime files and log. */
    public Path directory() {
        return dir;
    }

    private static Kamailio launch(Path dir, Path config, String address, int port, java.util.Map<String, String> environment)
            throws IOException, InterruptedException {
        Path binary = Files.isExecutable(Path.of("/usr/sbin/kamailio")) ? Path.of("/usr/sbin/kamailio") : Path.of("kamailio");
        // -DD: stay in the foreground (children still forked) so that this PID is the main process;
        // -E: log to stderr; -Y/-P: runtime files here, not in /run.
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "-f", config.toString(), "-DD", "-E",
                "-Y", dir.toString(), "-P", dir.resolve("kamailio.pid").toString(), "-m", SHARED_MB, "-M", PRIVATE_MB)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("kamailio.log").toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        Kamailio kamailio = new Kamailio(dir, process);
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(address, port), (int) RETRY_MS * 10);
                return kamailio;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    kamailio.close();
                    throw new IOException("kamailio did not start (log: " + kamailio.log() + ")", notYet);
                }
                Thread.sleep(RETRY_MS);
            }
        }
    }

    public Path log() {
        return dir.resolve("kamailio.log");
    }

    /** SIGTERM to the main process, which ends its children; SIGKILL if it does not. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
