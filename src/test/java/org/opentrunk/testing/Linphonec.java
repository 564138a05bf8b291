package org.opentrunk.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A second, independent SIP user agent, linphonec (Debian {@code linphone-cli}, installed by ./test.sh),
 * run headless: its own rc file and HOME under {@code target/interop/linphonec-<name>/}, commands
 * written to its stdin, its console read line by line (through {@code stdbuf -oL}, as it does not
 * flush a pipe by itself). Bounded by coreutils {@code timeout}, whatever happens to the test JVM.
 *
 * <p>Two things it needs here: a HOME with {@code .local/share/linphone} (without the directory for
 * its call database the core stays in GlobalStartup and never opens its SIP port), and the network
 * monitor off ({@code auto_net_state_mon=0}): on a loopback-only network it would declare the
 * network unreachable.
 */
public final class Linphonec implements AutoCloseable {

    /** The process's own bound. */
    static final Duration LIFETIME = Duration.ofSeconds(180);
    static final Duration START_WAIT = Duration.ofSeconds(15);
    static final Duration STOP_WAIT = Duration.ofSeconds(5);
    /** Log level of liblinphone's own log file (6: everything, with the SIP trace). */
    private static final int LOG_LEVEL = 6;

    private final Path dir;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private Linphonec(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
        this.stdin = process.outputWriter(StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readConsole, "linphonec-" + dir.getFileName());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts linphonec bound to {@code address:sipPort} (UDP only), RTP on {@code rtpPort}, with
     * {@code identity} (a SIP address, e.g. {@code <sip:+1...@host>}) for the From of its calls: linphonec
     * keeps its user and display name, and puts its own address as the host.
     */
    public static Linphonec start(String name, String address, int sipPort, int rtpPort, String identity)
            throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Baresip.OUTPUT.resolve("linphonec-" + name).toAbsolutePath());
        Files.createDirectories(dir.resolve(".local/share/linphone"));
        Path rc = dir.resolve("linphonerc");
        Files.writeString(rc, String.join("\n",
                "[sip]",
                "sip_port=" + sipPort,
                "sip_tcp_port=0",
                "sip_tls_port=0",
                "bind_address=" + address,
                "contact=" + identity,
                "auto_net_state_mon=0",
                "register_only_when_network_is_up=0",
                "inc_timeout=60",
                "[rtp]",
                "audio_rtp_port=" + rtpPort,
                "[sound]",
                "echocancellation=0",
                "[video]",
                "display=0",
                "capture=0",
                ""));
        Files.deleteIfExists(dir.resolve("console.log"));
        ProcessBuilder builder = new ProcessBuilder("timeout", "-k", "5", Long.toString(LIFETIME.toSeconds()),
                "stdbuf", "-oL", "linphonec", "-c", rc.toString(), "-d", Integer.toString(LOG_LEVEL),
                "-l", dir.resolve("linphonec.log").toString())
                .directory(dir.toFile())
                .redirectErrorStream(true);
        builder.environment().put("HOME", dir.toString());
        Process process = builder.start();
        Linphonec linphonec = new Linphonec(dir, process);
        try {
            linphonec.command("ports");
            linphonec.awaitLine(Pattern.compile("sip port = " + sipPort), START_WAIT);
        } catch (AssertionError | IOException notStarted) {
            linphonec.close();
            throw notStarted;
        }
        return linphonec;
    }

    /** Writes one command line (call, answer, terminate, calls ...). */
    public void command(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Waits for a console line that {@code wanted} finds something in; earlier lines are dropped. */
    public Matcher awaitLine(Pattern wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("linphonec: no line matching " + wanted + " in " + timeout + " (console: "
                        + console() + ", log: " + dir.resolve("linphonec.log") + ")");
            }
            Matcher m = wanted.matcher(line);
            if (m.find()) {
                return m;
            }
        }
    }

    public Path console() {
        return dir.resolve("console.log");
    }

    private void readConsole() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                Files.writeString(console(), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                lines.add(line);
            }
        } catch (IOException ended) {
            // the process ended
        }
    }

    /** Asks linphonec to quit (it ends its calls), then ends the process if it has not. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            command("quit");
            stdin.close();
        } catch (IOException alreadyGone) {
            // fall through to the signals
        }
        if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroy();
            if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                // linphonec may ignore SIGTERM; killing `timeout` alone would leave it running
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }
}
