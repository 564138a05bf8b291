package org.opentrunk.cluster;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.opentrunk.core.limits.ChannelGrant;
import org.opentrunk.core.timer.SteadyClock;

/**
 * What the shared call counters cost (issue 20, bench/shared-state.sh): admissions per second
 * through one node's Redis link (each an atomic script: lease + rate bucket, then the lease given
 * back), with up to {@code inFlight} outstanding as a busy node has, and the latency one admission
 * adds to a call's set-up. Prints one summary line.
 */
public final class SharedAdmissionBenchmark {

    private SharedAdmissionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "redis://127.0.0.1:26399";
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
        RedisLink link = new RedisLink(url, scheduler, scheduler);
        link.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (link.state() != RedisLink.State.UP && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        SharedCallAdmission admission = new SharedCallAdmission(link, "bench", "r1", Duration.ofSeconds(60), SteadyClock::millis);
        // warm-up: JIT and the script cache
        run(admission, 5_000, inFlight, new long[5_000]);
        long[] latencies = new long[calls];
        long started = System.nanoTime();
        long refused = run(admission, calls, inFlight, latencies);
        double seconds = (System.nanoTime() - started) / 1e9;
        Arrays.sort(latencies);
        System.out.printf(java.util.Locale.ROOT,
                "shared admission: %d calls in %.1f s = %.0f admissions/s (each with its release), %d in flight; "
                        + "latency p50 %.2f ms, p99 %.2f ms, max %.2f ms; %d refused%n",
                calls, seconds, calls / seconds, inFlight, latencies[calls / 2] / 1e6, latencies[(int) (calls * 0.99)] / 1e6,
                latencies[calls - 1] / 1e6, refused);
        link.close();
        scheduler.shutdownNow();
    }

    /** {@code calls} admissions of 100 customers (a limit none reaches), at most {@code inFlight} at once. */
    private static long run(SharedCallAdmission admission, int calls, int inFlight, long[] latencies) throws Exception {
        Semaphore window = new Semaphore(inFlight);
        AtomicLong refused = new AtomicLong();
        CompletableFuture<?>[] all = new CompletableFuture<?>[calls];
        for (int i = 0; i < calls; i++) {
            window.acquire();
            int call = i;
            long asked = System.nanoTime();
            all[i] = admission.acquire(call % 100, 1_000_000, 1_000_000).toCompletableFuture().thenAccept(grant -> {
                latencies[call] = System.nanoTime() - asked;
                if (grant.verdict() != ChannelGrant.Verdict.ADMITTED) {
                    refused.incrementAndGet();
                }
                grant.release();
                window.release();
            });
        }
        CompletableFuture.allOf(all).get(120, TimeUnit.SECONDS);
        return refused.get();
    }
}
