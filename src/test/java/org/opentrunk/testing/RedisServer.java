package org.opentrunk.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A private Redis server for tests (Debian's {@code redis-server}, installed by ./test.sh): on a
 * loopback address and port of the test's choosing, no persistence, stopped by {@link #close()}.
 * {@link #freeze()} stops the process without closing its socket (SIGSTOP), as a hung or
 * black-holed server looks to its clients; {@link #thaw()} resumes it.
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration START_WAIT = Duration.ofSeconds(20);

    private final String host;
    private final int port;
    private final Path log;
    private Process process;

    private RedisServer(String host, int port, Path log) {
        this.host = host;
        this.port = port;
        this.log = log;
    }

    public static RedisServer start(String host, int port) throws IOException {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "redis-");
        RedisServer server = new RedisServer(host, port, dir.resolve("redis.log"));
        server.launch(dir);
        return server;
    }

    private void launch(Path dir) throws IOException {
        process = new ProcessBuilder(List.of("redis-server", "--bind", host, "--port", String.valueOf(port), "--save", "",
                "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "no"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Awaitility.await("redis-server on " + host + ":" + port).atMost(START_WAIT).pollInterval(Duration.ofMillis(50))
                .until(this::accepts);
    }

    private boolean accepts() {
        if (!process.isAlive()) {
            throw new IllegalStateException("redis-server exited: " + log());
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String url() {
        return "redis://" + host + ":" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** Stops answering without closing connections (SIGSTOP). */
    public void freeze() throws Exception {
        signal("STOP");
    }

    public void thaw() throws Exception {
        signal("CONT");
    }

    /** Stops it and starts it again on the same port, empty (what a restart without persistence keeps). */
    public void restart() throws Exception {
        stop();
        launch(log.getParent());
    }

    private void signal(String name) throws Exception {
        new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private void stop() throws Exception {
        if (process != null && process.isAlive()) {
            signal("CONT");
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
