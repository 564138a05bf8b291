package org.opentrunk.sip;

import java.io.Serializable;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.servlet.sip.SipApplicationSession;
import javax.servlet.sip.TimerService;

/**
 * Continues a request's handling on its own application session once some work done elsewhere
 * (CNAM, DNS, the database, the CDR journal) is in, so that no SIP container thread waits for it.
 *
 * <p>JSR 289 has no "run on this session" call, but it delivers a session's timers the way it
 * delivers its messages, one at a time: the continuation is a {@link javax.servlet.sip.ServletTimer}
 * of delay 0 on the session, and {@link CallTimers} runs it. So the continuation never races a
 * CANCEL or BYE of the same call. Work that is already done when it is handed over (a cache hit)
 * continues at once on the calling thread, without the hop.
 */
final class SessionResume {

    private static final Logger LOG = Logger.getLogger(SessionResume.class.getName());

    /**
     * A timer's info: the step to run. Serializable only in name, as {@code createTimer} asks: the
     * application is not distributable, so timers are never serialized; the step is transient.
     */
    static final class Continuation implements Serializable {
        private static final long serialVersionUID = 1L;
        private final transient Runnable step;
        private final String what;

        Continuation(Runnable step, String what) {
            this.step = step;
            this.what = what;
        }

        void run() {
            if (step == null) {
                return; // cannot happen in a non-distributed container; nothing to resume then
            }
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Continuing " + what + " failed", e);
            }
        }
    }

    private SessionResume() {
    }

    /**
     * Runs {@code step} on {@code session}'s container thread once {@code work} completes, however it
     * completes (the step reads the outcome from its own futures, and must not let a failed one
     * escape). When the session is gone by then (the container ended it: a CANCEL answered, the
     * call over), {@code dropped} runs instead, on whatever thread completed the work, to give back
     * what the step would have (an admission place, a CDR): nothing is left to answer.
     */
    static void when(CompletionStage<?> work, SipApplicationSession session, TimerService timers, String what,
                     Runnable step, Runnable dropped) {
        if (work.toCompletableFuture().isDone()) {
            new Continuation(step, what).run();
            return;
        }
        work.whenComplete((result, error) -> {
            try {
                timers.createTimer(session, 0, false, new Continuation(step, what));
            } catch (IllegalStateException invalidated) {
                LOG.info(() -> "Not continuing " + what + ": its session ended meanwhile");
                try {
                    dropped.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Cleaning up after " + what + " failed", e);
                }
            }
        });
    }

    /** {@link #when(CompletionStage, SipApplicationSession, TimerService, String, Runnable, Runnable)} with nothing to give back. */
    static void when(CompletionStage<?> work, SipApplicationSession session, TimerService timers, String what,
                     Runnable step) {
        when(work, session, timers, what, step, () -> { });
    }
}
