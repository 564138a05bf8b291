package org.opentrunk.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An OpenTrunk cluster started by {@code deploy/local-cluster.sh} (issue 20): PostgreSQL, Redis,
 * {@code nodes} nodes (node N: SIP {@code 127.0.1.N:5060}, HTTP {@code 127.0.1.N:9080+N}) and the
 * Kamailio front on {@link #FRONT}:{@link #FRONT_PORT}. Each script run is bounded in time; {@link
 * #close} runs the script's {@code stop}, which ends exactly the processes its PID files name.
 * The state directory is {@code target/local-cluster-it}.
 */
public final class LocalCluster implements AutoCloseable {

    public static final String FRONT = "127.0.0.10";
    public static final int FRONT_PORT = 5060;
    public static final int NODE_SIP_PORT = 5060;
    public static final String ADMIN_PASSWORD = "cluster-admin-secret";
    /** Two Liberty starts on a busy 2-core machine, then the front. */
    static final Duration START_LIMIT = Duration.ofMinutes(6);
    static final Duration NODE_START_LIMIT = Duration.ofMinutes(4);
    static final Duration STOP_LIMIT = Duration.ofMinutes(2);
    private static final Path SCRIPT = Path.of("deploy/local-cluster.sh").toAbsolutePath();

    private final int nodes;
    private final Path dir;
    private final Map<String, String> environment;

    private LocalCluster(int nodes, Path dir, Map<String, String> environment) {
        this.nodes = nodes;
        this.dir = dir;
        this.environment = environment;
    }

    /**
     * Starts the cluster with {@code settings} (OT_* name, value pairs) for every node, after
     * stopping whatever an earlier, aborted run left in the same state directory.
     */
    public static LocalCluster start(int nodes, String... settings) throws Exception {
        Path dir = Path.of("target/local-cluster-it").toAbsolutePath();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OT_NODES", Integer.toString(nodes));
        env.put("OT_CLUSTER_DIR", dir.toString());
        env.put("OT_FRONT_HOST", FRONT);
        env.put("OT_FRONT_PORT", Integer.toString(FRONT_PORT));
        env.put("OT_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("OT_SIP_DOMAIN", TestNet.TRUNK_DOMAIN);
        env.put("OT_CARRIER_PROBE_INTERVAL", "0");
        for (int i = 0; i + 1 < settings.length; i += 2) {
            env.put(settings[i], settings[i + 1]);
        }
        LocalCluster cluster = new LocalCluster(nodes, dir, env);
        cluster.script(STOP_LIMIT, "stop");
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) { // a fresh database and fresh nodes each run
                walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
        try {
            cluster.script(START_LIMIT, "start");
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public static String nodeAddress(int n) {
        return "127.0.1." + n;
    }

    public static int nodeHttpPort(int n) {
        return 9080 + n;
    }

    public int nodes() {
        return nodes;
    }

    /** The REST API of node {@code n}, as admin. */
    public ApiClient api(int n) {
        return ApiClient.asAdmin(nodeAddress(n), nodeHttpPort(n), ADMIN_PASSWORD);
    }

    /** {@code host:port} of the front, as a PBX or carrier addresses it. */
    public String front() {
        return FRONT + ":" + FRONT_PORT;
    }

    /** SIGKILL of node {@code n}: no shutdown, as a crash. */
    public void killNode(int n) throws Exception {
        script(STOP_LIMIT, "node-kill", Integer.toString(n));
    }

    public void stopNode(int n) throws Exception {
        script(STOP_LIMIT, "node-stop", Integer.toString(n));
    }

    /** Starts node {@code n} again on its directory and waits until it is ready. */
    public void startNode(int n) throws Exception {
        script(NODE_START_LIMIT, "node-start", Integer.toString(n));
    }

    /** Where node {@code n}'s Liberty logs are. */
    public Path nodeLogs(int n) {
        return dir.resolve("wlp-usr/servers/node" + n + "/logs");
    }

    public Path frontLog() {
        return dir.resolve("front/kamailio.log");
    }

    @Override
    public void close() throws Exception {
        script(STOP_LIMIT, "stop");
    }

    private String script(Duration limit, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("OT_")); // only this cluster's settings
        builder.environment().putAll(environment);
        Files.createDirectories(dir.getParent());
        Path output = Files.createTempFile(dir.getParent(), "local-cluster-", ".log");
        builder.redirectOutput(output.toFile());
        Process process = builder.start();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("local-cluster.sh " + String.join(" ", args) + " took over " + limit
                    + ": " + read(output));
        }
        String out = read(output);
        Files.deleteIfExists(output);
        System.out.println("local-cluster.sh " + String.join(" ", args) + ":\n" + out);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("local-cluster.sh " + String.join(" ", args) + " failed ("
                    + process.exitValue() + "): " + out);
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }
}
