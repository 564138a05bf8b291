package org.opentrunk.media;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The relay benchmark behind {@code bench/relay.sh}, on loopback only, bounded in time (about 15 s)
 * and in calls ({@link #MAX_CALLS}). One relay thread.
 * <ol>
 * <li>Throughput: G.711-sized packets blasted at a few sessions for {@link #THROUGHPUT_TIME};
 * packets relayed per second, and per second of the relay thread's CPU time (per core).</li>
 * <li>Capacity: concurrent calls, each 50 packets/s in each direction (20 ms G.711), in steps of
 * {@link #STEP_TIME}; the largest step with less than {@link #MAX_LOSS} loss, and the relay
 * thread's CPU share at that step, from which the calls one core carries follow.</li>
 * </ol>
 * Prints one summary line. The load generator runs on the same host, so on a small machine the
 * measured call count is bounded by the generator as much as by the relay; the per-core figures
 * use the relay thread's own CPU time and are not.
 */
public final class RelayBenchmark {

    static final Duration THROUGHPUT_TIME = Duration.ofSeconds(3);
    static final Duration STEP_TIME = Duration.ofMillis(1500);
    static final int[] CALL_STEPS = {250, 500, 1000, 1500, 2000, 2500};
    static final int MAX_CALLS = 2500;
    static final double MAX_LOSS = 0.001;
    static final int PACKET_BYTES = 12 + 160;
    static final int PTIME_MS = 20;
    /** Client sockets per side: calls share them, so that no receive buffer overflows. */
    static final int SOCKETS_PER_SIDE = 8;
    static final PortRange PORTS = new PortRange(20000, 31999);

    private static final InetAddress RELAY = address("127.0.0.1");
    private static final InetAddress PBX = address("127.0.0.2");
    private static final InetAddress CARRIER = address("127.0.0.4");

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final RelayEngine engine;
    private final List<DatagramChannel> pbx = new ArrayList<>();
    private final List<DatagramChannel> carrier = new ArrayList<>();
    private final List<MediaSession> calls = new ArrayList<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicBoolean receiving = new AtomicBoolean(true);
    private long relayThreadId = -1;

    private RelayBenchmark() throws IOException {
        engine = new RelayEngine(new MediaSettings(RELAY, PORTS, MediaSettings.DEFAULT_MEDIA_TIMEOUT, 1, false));
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        new RelayBenchmark().run();
    }

    private void run() throws Exception {
        engine.start();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("ot-media-relay-0")) {
                relayThreadId = t.getId();
            }
        }
        for (int i = 0; i < SOCKETS_PER_SIDE; i++) {
            pbx.add(open(PBX));
            carrier.add(open(CARRIER));
        }
        Thread receiver = new Thread(this::receive, "bench-receiver");
        receiver.setDaemon(true);
        receiver.start();
        try {
            double[] throughput = throughput();
            int carried = 0;
            double busy = 0;
            double loss = 0;
            String limit = "max steps";
            for (int step : CALL_STEPS) {
                double[] result = capacity(Math.min(step, MAX_CALLS));
                if (result[0] >= MAX_LOSS) {
                    limit = String.format(Locale.ROOT, "%.2f%% loss at %d", 100 * result[0], step);
                    break;
                }
                if (result[2] < 0.95) {
                    limit = String.format(Locale.ROOT, "generator reached %.0f%% of the rate at %d", 100 * result[2],
                            step);
                    break;
                }
                carried = step;
                loss = result[0];
                busy = result[1];
            }
            long perCore = busy > 0 ? Math.round(carried / busy) : 0;
            System.out.printf(Locale.ROOT,
                    "relay (1 thread, loopback, %d-byte packets): %.0f pps relayed, %.0f pps per relay-CPU-second;"
                            + " %d concurrent G.711 calls (50 pps each way) at %.3f%% loss, relay thread %.0f%% busy"
                            + " -> ~%d calls per core; stopped by %s%n",
                    PACKET_BYTES, throughput[0], throughput[1], carried, 100 * loss, 100 * busy, perCore, limit);
        } finally {
            receiving.set(false);
            engine.stop();
            for (DatagramChannel c : pbx) {
                c.close();
            }
            for (DatagramChannel c : carrier) {
                c.close();
            }
        }
    }

    private static DatagramChannel open(InetAddress host) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        channel.bind(new InetSocketAddress(host, 0));
        return channel;
    }

    /** Adds calls up to {@code count}: offer from a PBX socket, answer from a carrier socket. */
    private void growTo(int count) throws MediaException, IOException {
        MediaListener none = new MediaListener() {
        };
        while (calls.size() < count) {
            int i = calls.size();
            MediaSession session = engine.createSession(none);
            int pbxPort = ((InetSocketAddress) pbx.get(i % SOCKETS_PER_SIDE).getLocalAddress()).getPort();
            int carrierPort = ((InetSocketAddress) carrier.get(i % SOCKETS_PER_SIDE).getLocalAddress()).getPort();
            session.legA().processRemoteOffer(Sdp.audio("127.0.0.2", pbxPort, 101, "sendrecv"));
            session.legB().processRemoteAnswer(Sdp.audio("127.0.0.4", carrierPort, 101, "sendrecv"));
            calls.add(session);
        }
    }

    private long relayCpuNanos() {
        return relayThreadId < 0 ? 0 : threads.getThreadCpuTime(relayThreadId);
    }

    /** {packets relayed per second, per relay CPU second}. */
    private double[] throughput() throws Exception {
        growTo(SOCKETS_PER_SIDE);
        ByteBuffer packet = ByteBuffer.wrap(RtpPackets.audio(1, 0, 1, 0x55));
        List<InetSocketAddress> targets = new ArrayList<>();
        for (int i = 0; i < SOCKETS_PER_SIDE; i++) {
            targets.add(calls.get(i).legA().localRtpAddress());
        }
        long relayedBefore = engine.statistics().packetsRelayed();
        long cpuBefore = relayCpuNanos();
        long start = System.nanoTime();
        long end = start + THROUGHPUT_TIME.toNanos();
        long sent = 0;
        while (System.nanoTime() < end) {
            for (int burst = 0; burst < 64; burst++) {
                int i = (int) (sent++ % SOCKETS_PER_SIDE);
                packet.clear();
                pbx.get(i).send(packet, targets.get(i));
            }
            // keep the relay fed without flooding its socket buffers: about as fast as it forwards
            long backlog = sent - (engine.statistics().packetsRelayed() - relayedBefore);
            if (backlog > 2000) {
                LockSupport.parkNanos(50_000);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Thread.sleep(100);
        long relayed = engine.statistics().packetsRelayed() - relayedBefore;
        double cpu = (relayCpuNanos() - cpuBefore) / 1e9;
        return new double[] {relayed / seconds, cpu > 0 ? relayed / cpu : 0};
    }

    /** {loss, relay thread busy share, achieved send rate / planned}. */
    private double[] capacity(int count) throws Exception {
        growTo(count);
        ByteBuffer packet = ByteBuffer.wrap(RtpPackets.audio(1, 0, 1, 0x55));
        List<InetSocketAddress[]> targets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            MediaSession s = calls.get(i);
            targets.add(new InetSocketAddress[] {s.legA().localRtpAddress(), s.legB().localRtpAddress()});
        }
        Thread.sleep(100);
        long receivedBefore = received.get();
        long cpuBefore = relayCpuNanos();
        long start = System.nanoTime();
        long ticks = STEP_TIME.toMillis();
        long sent = 0;
        for (long tick = 0; tick < ticks; tick++) {
            long due = start + TimeUnit.MILLISECONDS.toNanos(tick);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            // every 20 ms each call sends once each way; spread over the 20 one-millisecond slots
            for (int i = (int) (tick % PTIME_MS); i < count; i += PTIME_MS) {
                packet.clear();
                pbx.get(i % SOCKETS_PER_SIDE).send(packet, targets.get(i)[0]);
                packet.clear();
                carrier.get(i % SOCKETS_PER_SIDE).send(packet, targets.get(i)[1]);
                sent += 2;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (relayCpuNanos() - cpuBefore) / 1e9;
        Thread.sleep(300); // the last packets in flight
        long got = received.get() - receivedBefore;
        double planned = 2.0 * count * (1000.0 / PTIME_MS) * STEP_TIME.toMillis() / 1000.0;
        return new double[] {Math.max(0, sent - got) / (double) sent, cpu / seconds, sent / planned};
    }

    /** Counts what arrives on every client socket. */
    private void receive() {
        try (Selector selector = Selector.open()) {
            for (DatagramChannel c : pbx) {
                c.configureBlocking(false);
                c.register(selector, SelectionKey.OP_READ);
            }
            for (DatagramChannel c : carrier) {
                c.configureBlocking(false);
                c.register(selector, SelectionKey.OP_READ);
            }
            ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
            while (receiving.get()) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    DatagramChannel c = (DatagramChannel) key.channel();
                    buffer.clear();
                    while (c.receive(buffer) != null) {
                        received.incrementAndGet();
                        buffer.clear();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            if (receiving.get()) {
                e.printStackTrace();
            }
        }
    }
}
