package org.opentrunk.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a SIPp scenario from {@code src/test/sipp} as a child process, bounded in time, and reads
 * its exit code and final statistics. Logs and statistics go to {@code target/sipp/<name>*}.
 */
public final class Sipp {

    public static final Path SCENARIOS = Path.of("src/test/sipp");
    public static final Path OUTPUT = Path.of("target/sipp");

    private final String name;
    private final List<String> command = new ArrayList<>();
    private Process process;
    /** Where a SIPp bound to a fixed port listens (UDP): a server waits for it before start() returns. */
    private String boundAddress;
    private int boundPort;
    private boolean tcp;
    /** How long a SIPp server may take to open its socket. */
    static final Duration BIND_WAIT = Duration.ofSeconds(10);

    private Sipp(String name, String scenario) {
        this.name = name;
        command.addAll(List.of("sipp", "-sf", SCENARIOS.resolve(scenario).toString(),
                "-nostdin", "-trace_stat", "-stf", file("stat.csv").toString(), "-fd", "1",
                "-trace_err", "-error_file", file("errors.log").toString(),
                "-trace_screen", "-screen_file", file("screen.log").toString()));
    }

    /** A SIPp acting as the calling PBX or the answering carrier, with scenario file {@code scenario}. */
    public static Sipp scenario(String name, String scenario) {
        try {
            Files.createDirectories(OUTPUT);
            return new Sipp(name, scenario);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The local address and port SIPp binds to ({@code -i}, {@code -p}). */
    public Sipp bind(String address, int port) {
        boundAddress = address;
        boundPort = port;
        return args("-i", address, "-p", Integer.toString(port), "-mi", address);
    }

    /** The local address SIPp binds to, on a port of its choosing. */
    public Sipp bind(String address) {
        return args("-i", address, "-mi", address);
    }

    public Sipp udp() {
        return args("-t", "u1");
    }

    public Sipp tcp() {
        tcp = true;
        return args("-t", "t1");
    }

    /** Calls to place/handle ({@code -m}), at {@code cps} calls per second, at most {@code limit} at once. */
    public Sipp calls(int total, int cps, int limit) {
        return args("-m", Integer.toString(total), "-r", Integer.toString(cps), "-l", Integer.toString(limit));
    }

    /** Length of the scenario's {@code <pause/>}: how long an answered call lasts. */
    public Sipp callLength(Duration length) {
        return args("-d", Long.toString(length.toMillis()));
    }

    /** The called number ({@code -s}), i.e. the Request-URI user. */
    public Sipp dialing(String number) {
        return args("-s", number);
    }

    /** SIPp gives up (and fails) after this long. */
    public Sipp timeout(Duration limit) {
        return args("-timeout", limit.toSeconds() + "s", "-timeout_error");
    }

    public Sipp args(String... more) {
        command.addAll(Arrays.asList(more));
        return this;
    }

    /** Starts SIPp towards {@code remote} (host:port), or as a pure server when null. */
    public Sipp start(String remote) {
        List<String> cmd = new ArrayList<>(command);
        if (remote != null) {
            cmd.add(remote);
        }
        try {
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(file("console.log").toFile())
                    .start();
            if (remote == null && boundAddress != null) {
                awaitListening(); // a server: the first request to it must not find the port closed
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start sipp (is sip-tester installed? ./test.sh installs it)", e);
        }
    }

    /** Waits until the kernel shows SIPp's socket on its address and port (/proc/net/udp or tcp). */
    private void awaitListening() {
        String local = SocketTable.hex(boundAddress, boundPort);
        Path table = Path.of(tcp ? "/proc/net/tcp" : "/proc/net/udp");
        org.awaitility.Awaitility.await(name + " listening on " + boundAddress + ":" + boundPort)
                .atMost(BIND_WAIT).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> !process.isAlive() || SocketTable.lists(table, local));
    }

    /** Waits for SIPp to end by itself; kills it after {@code limit}. */
    public Result await(Duration limit) throws InterruptedException {
        boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            stop();
        }
        return result(ended ? process.exitValue() : -9);
    }

    /** Ends a SIPp that serves until told to stop (a carrier waiting for calls). */
    public Result stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: SIPp writes its final statistics
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        return result(process.exitValue());
    }

    private Result result(int exitCode) {
        long successful = -1;
        long failed = -1;
        try {
            List<String> lines = Files.exists(file("stat.csv")) ? Files.readAllLines(file("stat.csv")) : List.of();
            if (lines.size() >= 2) {
                List<String> header = Arrays.asList(lines.get(0).split(";"));
                String[] last = lines.get(lines.size() - 1).split(";");
                successful = Long.parseLong(last[header.indexOf("SuccessfulCall(C)")]);
                failed = Long.parseLong(last[header.indexOf("FailedCall(C)")]);
            }
        } catch (IOException | RuntimeException e) {
            // statistics unreadable: the counts stay -1 and the assertion says so
        }
        return new Result(name, exitCode, successful, failed);
    }

    private Path file(String suffix) {
        return OUTPUT.resolve(name + "-" + suffix).toAbsolutePath();
    }

    /** What a SIPp run left: exit code 0 means every call of the scenario succeeded. */
    public record Result(String name, int exitCode, long successfulCalls, long failedCalls) {

        @Override
        public String toString() {
            return name + ": exit " + exitCode + ", " + successfulCalls + " successful, " + failedCalls
                    + " failed (logs: " + OUTPUT.resolve(name + "-*") + ")";
        }
    }
}
