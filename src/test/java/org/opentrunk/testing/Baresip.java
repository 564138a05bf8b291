package org.opentrunk.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import javax.json.Json;
import javax.json.JsonObject;

/**
 * A real SIP user agent, baresip (Debian {@code baresip-core}, installed by ./test.sh), run headless
 * as a customer's PBX: a config directory written under {@code target/interop/baresip-<name>/}, no
 * sound card (a sine tone as microphone, the audio bridge as loudspeaker), and the {@code ctrl_tcp}
 * module on a loopback port through which the test sends commands and reads events. The process
 * is started and stopped by this object and bounded by baresip's own {@code -t} timer; its console
 * log, with the SIP trace, stays in the directory.
 */
public final class Baresip implements AutoCloseable {

    public static final Path OUTPUT = Path.of("target/interop");
    /** baresip quits by itself after this long, whatever happens to the test JVM. */
    static final Duration LIFETIME = Duration.ofSeconds(180);
    static final Duration START_WAIT = Duration.ofSeconds(10);
    static final Duration STOP_WAIT = Duration.ofSeconds(5);
    static final Duration COMMAND_WAIT = Duration.ofSeconds(5);
    private static final long RETRY_MS = 100;
    private static final String MODULES = "/usr/lib/baresip/modules";

    private final Path dir;
    private final Process process;
    private final Socket control;
    private final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<JsonObject> responses = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final AtomicLong tokens = new AtomicLong();

    private Baresip(Path dir, Process process, Socket control) {
        this.dir = dir;
        this.process = process;
        this.control = control;
        Thread reader = new Thread(this::readControl, "baresip-ctrl-" + dir.getFileName());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts baresip bound to {@code address}, SIP on {@code sipPort}, control on {@code controlPort},
     * with one account: {@code account} is a line of baresip's accounts file.
     */
    public static Baresip start(String name, String address, int sipPort, int controlPort, String account)
            throws IOException, InterruptedException {
        return start(name, address, sipPort, controlPort, account, List.of());
    }

    /**
     * As {@link #start(String, String, int, int, String)}, with more lines for baresip's config
     * file, e.g. {@code module srtp.so} and {@code sip_cafile <file>} for SIP over TLS with SRTP
     * (issue 21).
     */
    public static Baresip start(String name, String address, int sipPort, int controlPort, String account,
                                List<String> moreConfig) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(OUTPUT.resolve("baresip-" + name).toAbsolutePath());
        Files.writeString(dir.resolve("config"), String.join("\n",
                "poll_method\tepoll",
                "sip_listen\t" + address + ":" + sipPort,
                // ausine makes 48 kHz stereo only; baresip resamples it for the 8 kHz codecs
                "audio_source\tausine,440",
                "ausrc_srate\t48000",
                "ausrc_channels\t2",
                "audio_player\taubridge,nil",
                "audio_alert\taubridge,nil",
                "module_path\t" + MODULES,
                "module\tg711.so",
                "module\tausine.so",
                "module\taubridge.so",
                "module_app\taccount.so",
                "module_app\tmenu.so",
                "module_app\tctrl_tcp.so",
                "ctrl_tcp_listen\t" + address + ":" + controlPort,
                String.join("\n", moreConfig),
                ""));
        Files.writeString(dir.resolve("accounts"), account + "\n");
        // -n: the address to use (the namespace's loopback has no interface address baresip can find);
        // -s: SIP trace in the log; -t: the process's own bound.
        Process process = new ProcessBuilder("baresip", "-f", dir.toString(), "-4", "-n", address, "-s", "-v",
                "-t", Long.toString(LIFETIME.toSeconds()))
                .redirectInput(new File("/dev/null"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("console.log").toFile())
                .start();
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (true) {
            try {
                Socket control = new Socket();
                control.connect(new InetSocketAddress(address, controlPort), (int) RETRY_MS * 10);
                return new Baresip(dir, process, control);
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("baresip did not open its control port (log: " + dir.resolve("console.log") + ")",
                            notYet);
                }
                Thread.sleep(RETRY_MS);
            }
        }
    }

    /** Runs a command (the names of baresip's menu: dial, accept, hangup, sndcode, reginfo ...); its response. */
    public JsonObject command(String command, String params) throws IOException, InterruptedException {
        String token = "t" + tokens.incrementAndGet();
        String json = Json.createObjectBuilder().add("command", command).add("params", params).add("token", token)
                .build().toString();
        synchronized (control) {
            control.getOutputStream().write(Netstring.encode(json));
            control.getOutputStream().flush();
        }
        long deadline = System.nanoTime() + COMMAND_WAIT.toNanos();
        while (true) {
            JsonObject response = responses.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (response == null) {
                throw new AssertionError("no response to " + json + " (log: " + log() + ")");
            }
            if (token.equals(response.getString("token", ""))) {
                return response;
            }
        }
    }

    /** Waits for the next event that {@code wanted} accepts; earlier events are dropped. */
    public JsonObject awaitEvent(Predicate<JsonObject> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonObject event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("baresip: no such event in " + timeout + "; seen " + seenSoFar()
                        + " (log: " + log() + ")");
            }
            if (wanted.test(event)) {
                return event;
            }
        }
    }

    /** Waits for an event of this {@code type} (CALL_INCOMING, CALL_ESTABLISHED, CALL_CLOSED ...). */
    public JsonObject awaitEvent(String type, Duration timeout) throws InterruptedException {
        return awaitEvent(e -> type.equals(e.getString("type", "")), timeout);
    }

    /** Polls {@code reginfo} until the account is registered. */
    public void awaitRegistered(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String info = "";
        while (System.nanoTime() < deadline) {
            info = command("reginfo", "").getString("data", "");
            if (info.contains("OK")) {
                return;
            }
            Thread.sleep(RETRY_MS * 2);
        }
        throw new AssertionError("baresip not registered after " + timeout + ": " + info + " (log: " + log() + ")");
    }

    public Path log() {
        return dir.resolve("console.log");
    }

    private synchronized String seenSoFar() {
        return String.join(", ", seen);
    }

    private void readControl() {
        try {
            InputStream in = control.getInputStream();
            while (true) {
                JsonObject message = Json.createReader(new StringReader(Netstring.read(in))).readObject();
                if (message.getBoolean("response", false)) {
                    responses.add(message);
                } else {
                    synchronized (this) {
                        seen.add(message.getString("type", "?"));
                    }
                    events.add(message);
                }
            }
        } catch (IOException | RuntimeException closed) {
            // the process ended or close() closed the socket
        }
    }

    /** Asks baresip to quit (it unregisters), then ends the process if it has not. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            synchronized (control) {
                control.getOutputStream().write(Netstring.encode("{\"command\":\"quit\",\"params\":\"\",\"token\":\"quit\"}"));
            }
        } catch (IOException alreadyGone) {
            // fall through to the signals
        } finally {
            control.close();
        }
        if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroy();
            if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }
}
