package org.opentrunk.admin.web;

import org.opentrunk.sip.LiveCalls;
import java.util.List;
import java.util.Locale;
import javax.enterprise.context.RequestScoped;
import javax.inject.Inject;
import javax.inject.Named;
import org.opentrunk.call.CallSummary;
import org.opentrunk.store.CdrStore;

/**
 * The line at the top of every page: calls now, call attempts per second over the last minute,
 * and the share of attempts answered over the last 15 minutes. Attempts are the CDRs written
 * plus the live calls that have none yet (a CDR is written when a call ends).
 */
@Named
@RequestScoped
public class DashboardBean {

    public static final long RATE_WINDOW_MS = 60_000;
    public static final long ANSWER_WINDOW_MS = 15 * 60_000;

    @Inject
    private LiveCalls liveCalls;
    @Inject
    private CdrStore cdrs;

    private List<CallSummary> live;

    private List<CallSummary> live() {
        if (live == null) {
            live = liveCalls.summaries();
        }
        return live;
    }

    public int getCallsNow() {
        return live().size();
    }

    public String getCallsPerSecond() {
        long since = System.currentTimeMillis() - RATE_WINDOW_MS;
        long attempts = cdrs.attemptsSince(since).total() + live().stream().filter(c -> c.startedAtMs() >= since).count();
        return String.format(Locale.ROOT, "%.2f", attempts * 1000.0 / RATE_WINDOW_MS);
    }

    public String getAnswerRatio() {
        long since = System.currentTimeMillis() - ANSWER_WINDOW_MS;
        CdrStore.Attempts ended = cdrs.attemptsSince(since);
        List<CallSummary> recent = live().stream().filter(c -> c.startedAtMs() >= since).toList();
        long total = ended.total() + recent.size();
        long answered = ended.answered() + recent.stream().filter(c -> c.answeredAtMs() != 0).count();
        return total == 0 ? "–" : Math.round(answered * 100.0 / total) + " %";
    }
}
