package org.opentrunk.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Liberty server built from the production configuration (src/main/liberty/config) with the
 * packaged WAR, run with Liberty's own start/stop commands as an operator would. Settings are
 * passed as OT_* environment variables through server.env.
 */
public final class LibertyServer {

    private static final Path WLP = Path.of(System.getProperty("arq.wlpHome", "target/liberty/wlp")).toAbsolutePath();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(180);

    private final String name;
    private final Path dir;

    private LibertyServer(String name) {
        this.name = name;
        this.dir = WLP.resolve("usr/servers").resolve(name);
    }

    /** Creates (or re-creates) the server directory; its data directory survives only restarts. */
    /**
     * A trunk of its own for one test class: SIP on {@code sipHost}:{@code sipPort}, HTTP on
     * 127.0.0.1:{@code httpPort}, this admin password and SIP domain, no carrier probes; SIP over
     * TLS on {@code sipPort + 1} and HTTPS on {@code httpPort + 1} (on, as in production, on ports
     * that two test servers never share); then {@code more} settings as name, value pairs (which
     * may override those).
     */
    public static LibertyServer trunk(String name, String sipHost, int sipPort, int httpPort, String password,
                                      String domain, String... more) throws IOException {
        if (more.length % 2 != 0) {
            throw new IllegalArgumentException("settings come as name, value pairs");
        }
        Map<String, String> settings = new java.util.LinkedHashMap<>(Map.of("OT_SIP_HOST", sipHost,
                "OT_SIP_PORT", String.valueOf(sipPort), "OT_HTTP_HOST", "127.0.0.1", "OT_HTTP_PORT", String.valueOf(httpPort),
                "OT_ADMIN_PASSWORD", password, "OT_SIP_DOMAIN", domain, "OT_CARRIER_PROBE_INTERVAL", "0"));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return create(name, settings);
    }

    /**
     * A server with these settings; SIP over TLS on OT_SIP_PORT + 1 and HTTPS on OT_HTTP_PORT + 1
     * unless the settings say otherwise (the production defaults, 5061 and 9443, would be shared
     * by test servers that run side by side on one address).
     */
    public static LibertyServer create(String name, Map<String, String> given) throws IOException {
        Map<String, String> settings = new java.util.LinkedHashMap<>(given);
        settings.putIfAbsent("OT_SIP_TLS_PORT", String.valueOf(Integer.parseInt(settings.getOrDefault("OT_SIP_PORT", "5060")) + 1));
        settings.putIfAbsent("OT_HTTPS_PORT", String.valueOf(Integer.parseInt(settings.getOrDefault("OT_HTTP_PORT", "9080")) + 1));
        LibertyServer server = new LibertyServer(name);
        if (Files.exists(server.dir)) {
            try (Stream<Path> walk = Files.walk(server.dir)) {
                walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(server.dir.resolve("apps"));
        try (Stream<Path> config = Files.list(Path.of("src/main/liberty/config"))) {
            for (Path file : config.toList()) {
                Files.copy(file, server.dir.resolve(file.getFileName()));
            }
        }
        Files.copy(Path.of("target/opentrunk.war"), server.dir.resolve("apps/opentrunk.war"), StandardCopyOption.REPLACE_EXISTING);
        // put there by the build (pom.xml)
        Path drivers = WLP.resolve("usr/servers/" + System.getProperty("arq.serverName", "arq") + "/jdbc");
        Files.createDirectories(server.dir.resolve("jdbc"));
        try (Stream<Path> jars = Files.list(drivers)) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, server.dir.resolve("jdbc").resolve(jar.getFileName()));
            }
        }
        Files.writeString(server.dir.resolve("server.env"), settings.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
        return server;
    }

    public void start() throws Exception {
        run("start");
    }

    /**
     * Starts the server with at most {@code openFiles} file descriptors (soft and hard limit, as
     * {@code ulimit -n} would set them; util-linux's prlimit), to see what happens at the limit.
     */
    public void startWithOpenFileLimit(int openFiles) throws Exception {
        run("start", "prlimit", "--nofile=" + openFiles + ":" + openFiles);
    }

    public void stop() throws Exception {
        run("stop");
    }

    /**
     * Starts the server in a mount namespace of its own (as root: {@code unshare -m}) in which a
     * tmpfs of {@code megabytes} is mounted on {@code directory} (issue 25, a small or full disk).
     * The mount exists only for the server's JVM and vanishes with it: nothing is left mounted on
     * the build machine whatever happens to the test. Reach it with {@link #inMountNamespace}.
     */
    public void startWithTmpfs(Path directory, int megabytes) throws Exception {
        Files.createDirectories(directory);
        String mount = "mount -t tmpfs -o size=" + megabytes + "m opentrunk-test-tmpfs '" + directory.toAbsolutePath()
                + "' && exec \"$0\" \"$@\"";
        run(List.of("unshare", "-m", "--propagation", "private", "sh", "-c", mount,
                WLP.resolve("bin/server").toString(), "start", name), "start");
    }

    /** Runs {@code command} in the running server JVM's mount namespace (nsenter); its output. */
    public String inMountNamespace(String... command) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("nsenter", "-t", String.valueOf(pid()), "-m", "--"));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + cmd);
        }
        return out;
    }

    /** The server JVM's process id, from Liberty's pid file. */
    public long pid() throws IOException {
        return Long.parseLong(Files.readString(WLP.resolve("usr/servers/.pid").resolve(name + ".pid")).trim());
    }

    /**
     * Kills the server's JVM with SIGKILL, as a crash or a power cut would: no shutdown hook, no
     * flush, no close. Liberty's own pid file says which process it is. A later {@link #start}
     * starts it again on the same directory (and data directory).
     */
    public void kill() throws Exception {
        long pid = pid();
        ProcessHandle jvm = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("server " + name + " (pid " + pid + ") is not running"));
        jvm.destroyForcibly();
        jvm.onExit().get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Stops the server if it runs; for finally blocks, where a failure must not hide the test's own. */
    public void stopQuietly() {
        try {
            stop();
        } catch (Exception e) {
            System.err.println("stopping " + name + ": " + e.getMessage());
        }
    }

    public Path logs() {
        return dir.resolve("logs");
    }

    private void run(String action) throws Exception {
        run(List.of(WLP.resolve("bin/server").toString(), action, name), action);
    }

    /** {@code action} run inside {@code wrapper} (e.g. prlimit with its arguments). */
    private void run(String action, String... wrapper) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(wrapper));
        command.addAll(List.of(WLP.resolve("bin/server").toString(), action, name));
        run(command, action);
    }

    private void run(List<String> command, String action) throws Exception {
        // Output to a file, not a pipe read to its end: a command that hangs (a server that cannot
        // stop) must meet the timeout instead of blocking the test run for good.
        Path output = Files.createTempFile("liberty-" + action, ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("server " + action + " " + name + " timed out: " + Files.readString(output));
            }
            checkExit(p, action, Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private void checkExit(Process p, String action, String out) {
        if (p.exitValue() != 0) {
            throw new IllegalStateException("server " + action + " " + name + " failed (" + p.exitValue() + "): " + out);
        }
    }
}
