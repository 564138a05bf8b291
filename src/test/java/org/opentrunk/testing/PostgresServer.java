package org.opentrunk.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A private PostgreSQL server for tests: its own data directory under target/, listening on a
 * loopback port only, started with Debian's server binaries (installed by ./test.sh) and stopped
 * by {@link #close()}. When run as root it runs as the {@code postgres} user, as PostgreSQL requires.
 */
public final class PostgresServer implements AutoCloseable {

    public static final int PORT = 25432;
    public static final String DATABASE = "opentrunk";
    private static final long COMMAND_TIMEOUT_SECONDS = 120;

    private final Path bin;
    private final Path dir;
    private final Path dataDir;
    private final boolean asPostgresUser;
    private boolean running;
    private boolean frozen;

    private PostgresServer(Path bin, Path dir, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.dataDir = dir.resolve("data");
        this.asPostgresUser = asPostgresUser;
    }

    public static PostgresServer start() throws Exception {
        Path bin = findBin();
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "pg-");
        boolean root = "root".equals(System.getProperty("user.name"));
        PostgresServer server = new PostgresServer(bin, dir, root);
        if (root) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
        }
        server.pg("initdb", "-D", server.dataDir.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync");
        server.restart();
        server.pg("createdb", "-h", "127.0.0.1", "-p", String.valueOf(PORT), "-U", "postgres", DATABASE);
        return server;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + PORT + "/" + DATABASE;
    }

    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl());
        ds.setUser("postgres");
        return ds;
    }

    /** Stops the server as an outage would (its connections cut), keeping the data for {@link #restart}. */
    public void stop() throws Exception {
        pg("pg_ctl", "-D", dataDir.toString(), "-w", "-t", "30", "-m", "fast", "stop");
        running = false;
    }

    /** Starts the server (again) on its data directory and port. */
    public void restart() throws Exception {
        pg("pg_ctl", "-D", dataDir.toString(), "-w", "-t", "60", "-l", dir.resolve("server.log").toString(),
                "-o", "-p " + PORT + " -h 127.0.0.1 -k " + dir, "start");
        running = true;
    }

    /**
     * Black-holes the server as a network partition or a hung host would: every PostgreSQL process
     * of this data directory gets SIGSTOP. The kernel still accepts connections on its port, but
     * nothing answers on them, new or pooled, until {@link #thaw}.
     */
    public void freeze() throws Exception {
        frozen = true; // before the signal: a close() after a half-done freeze still thaws
        signal("STOP");
    }

    /** Lets a {@link #freeze frozen} server run again (SIGCONT). */
    public void thaw() throws Exception {
        signal("CONT");
        frozen = false;
    }

    /** {@link #thaw} if frozen; for a test's clean-up, which must not hang on a frozen database. */
    public void thawIfFrozen() throws Exception {
        if (frozen) {
            thaw();
        }
    }

    /**
     * The postmaster (first line of postmaster.pid) first, so that it starts no process meanwhile,
     * then every process it started. A backend that ends between the listing and its signal is
     * no failure ("No such process").
     */
    private void signal(String name) throws Exception {
        long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle main = ProcessHandle.of(postmaster)
                .orElseThrow(() -> new IllegalStateException("PostgreSQL (pid " + postmaster + ") is not running"));
        run(List.of("kill", "-" + name, String.valueOf(postmaster)));
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + name));
        main.descendants().forEach(child -> cmd.add(String.valueOf(child.pid())));
        if (cmd.size() > 2) {
            runTolerating(cmd, "No such process");
        }
    }

    @Override
    public void close() throws Exception {
        if (frozen) {
            thaw();
        }
        if (running) {
            stop();
        }
    }

    private void pg(String tool, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (asPostgresUser) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.add(bin.resolve(tool).toString());
        cmd.addAll(List.of(args));
        run(cmd);
    }

    private static void run(List<String> cmd) throws Exception {
        runTolerating(cmd, null);
    }

    /** Runs {@code cmd}; a failure whose every output line contains {@code tolerated} is none. */
    private static void runTolerating(List<String> cmd, String tolerated) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + cmd);
        }
        boolean toleratedOnly = tolerated != null && !out.isBlank()
                && out.lines().filter(line -> !line.isBlank()).allMatch(line -> line.contains(tolerated));
        if (p.exitValue() != 0 && !toleratedOnly) {
            throw new IllegalStateException(cmd + " failed (" + p.exitValue() + "):\n" + out);
        }
    }

    private static Path findBin() throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server binaries; ./test.sh installs postgresql"));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalStateException("no PostgreSQL server binaries; ./test.sh installs postgresql", e);
        }
    }
}
