package org.opentrunk.core.timer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The deadlines of one call's timers, kept by the call, so that the container holds a single timer
 * per call (issue 23): the one armed at the earliest deadline. A container timer costs ~700 bytes
 * of heap for as long as it is scheduled (Liberty: the timer, its future, its task and helpers; a
 * cancelled one stays queued until it was due), and an answered call had four to six of them
 * (session-timer refresh and expiry per leg, maximum duration, media check), each started again at
 * every refresh: about 3 KB of a held call's heap, and a creation and cancellation each time.
 *
 * <p>Starting a timer later than the armed one leaves the armed one alone: it fires early, finds
 * nothing {@link #due due}, and the caller arms the next deadline then ({@link #toArm}). Only a
 * deadline earlier than the armed one asks for a new container timer. Cancelling a timer forgets its
 * deadline; the armed container timer is left to fire for nothing. Not thread-safe: one call's
 * events are handled one at a time (the container serialises its application session).
 *
 * @param <K> the kinds of timer (one deadline per kind)
 */
public final class TimerDeadlines<K extends Enum<K>> {

    /** No container timer armed / nothing to arm. */
    public static final long NONE = Long.MAX_VALUE;

    private record Deadline(long at, long periodMs) {
    }

    private final EnumMap<K, Deadline> deadlines;
    /** When the container timer that is armed fires; {@link #NONE} when none is. */
    private long armedAt = NONE;

    public TimerDeadlines(Class<K> kinds) {
        this.deadlines = new EnumMap<>(kinds);
    }

    /** Sets {@code kind}'s deadline to {@code now + delayMs} (replacing the one it had), firing once. */
    public void start(K kind, long now, long delayMs) {
        deadlines.put(kind, new Deadline(now + Math.max(0, delayMs), 0));
    }

    /** Sets {@code kind} to fire every {@code periodMs} from now on. */
    public void startRepeating(K kind, long now, long periodMs) {
        if (periodMs <= 0) {
            throw new IllegalArgumentException("period " + periodMs + " ms");
        }
        deadlines.put(kind, new Deadline(now + periodMs, periodMs));
    }

    /** Forgets {@code kind}'s deadline (it will not be {@link #due}). */
    public void cancel(K kind) {
        deadlines.remove(kind);
    }

    /** Forgets every deadline and the armed timer (the call is over). */
    public void clear() {
        deadlines.clear();
        armedAt = NONE;
    }

    public boolean isRunning(K kind) {
        return deadlines.containsKey(kind);
    }

    /**
     * When a new container timer must fire, or {@link #NONE} when the armed one serves (it fires
     * no later than the earliest deadline) or there is nothing to time. The caller arms it and
     * reports so with {@link #armed}.
     */
    public long toArm() {
        long earliest = earliest();
        return earliest < armedAt ? earliest : NONE;
    }

    /** The caller armed a container timer firing at {@code at}; a timer armed before is to be cancelled by the caller. */
    public void armed(long at) {
        armedAt = at;
    }

    /** The armed container timer is gone (it fired, or the caller could not arm it). */
    public void disarmed() {
        armedAt = NONE;
    }

    /**
     * The armed container timer fired at {@code now}: the kinds whose deadlines have passed,
     * earliest first. The caller fires each one that it can still {@link #take} (firing one may
     * cancel or restart another), then arms {@link #toArm}.
     */
    public List<K> due(long now) {
        armedAt = NONE;
        List<Map.Entry<K, Deadline>> passed = new ArrayList<>();
        for (Map.Entry<K, Deadline> entry : deadlines.entrySet()) {
            if (entry.getValue().at() <= now) {
                passed.add(Map.entry(entry.getKey(), entry.getValue()));
            }
        }
        passed.sort(Comparator.comparingLong(e -> e.getValue().at()));
        List<K> kinds = new ArrayList<>(passed.size());
        passed.forEach(e -> kinds.add(e.getKey()));
        return kinds;
    }

    /**
     * Whether {@code kind} is still due at {@code now} (not cancelled or restarted meanwhile); if so
     * it is used up: a one-shot kind is forgotten, a repeating one moved on by its period.
     */
    public boolean take(K kind, long now) {
        Deadline d = deadlines.get(kind);
        if (d == null || d.at() > now) {
            return false;
        }
        if (d.periodMs() > 0) {
            deadlines.put(kind, new Deadline(Math.max(d.at() + d.periodMs(), now + 1), d.periodMs()));
        } else {
            deadlines.remove(kind);
        }
        return true;
    }

    private long earliest() {
        long earliest = NONE;
        for (Deadline d : deadlines.values()) {
            earliest = Math.min(earliest, d.at());
        }
        return earliest;
    }
}
