package org.opentrunk.core.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimerDeadlinesTest {

    enum Kind { NO_ANSWER, REFRESH, EXPIRE, CHECK }

    private final TimerDeadlines<Kind> deadlines = new TimerDeadlines<>(Kind.class);

    /** What a caller does: arm when asked. */
    private long arm() {
        long at = deadlines.toArm();
        if (at != TimerDeadlines.NONE) {
            deadlines.armed(at);
        }
        return at;
    }

    @Test
    void onlyAnEarlierDeadlineAsksForANewContainerTimer() {
        deadlines.start(Kind.NO_ANSWER, 1_000, 4_000);
        assertEquals(5_000, arm());
        deadlines.start(Kind.EXPIRE, 1_100, 1_800_000); // later: the armed one fires first
        assertEquals(TimerDeadlines.NONE, arm());
        deadlines.start(Kind.REFRESH, 1_200, 1_000); // earlier than the armed 5,000
        assertEquals(2_200, arm());
    }

    @Test
    void aTimerThatFiresEarlyFindsNothingDueAndArmsTheNextDeadline() {
        deadlines.start(Kind.NO_ANSWER, 0, 4_000);
        arm();
        deadlines.start(Kind.EXPIRE, 100, 900_000);
        deadlines.cancel(Kind.NO_ANSWER); // answered: nothing re-armed
        assertEquals(TimerDeadlines.NONE, deadlines.toArm());
        assertEquals(List.of(), deadlines.due(4_000));
        assertEquals(900_100, arm());
    }

    @Test
    void dueKindsComeEarliestFirstAndAreUsedUpOnce() {
        deadlines.start(Kind.EXPIRE, 0, 300);
        deadlines.start(Kind.REFRESH, 0, 200);
        deadlines.start(Kind.NO_ANSWER, 0, 5_000);
        arm();
        assertEquals(List.of(Kind.REFRESH, Kind.EXPIRE), deadlines.due(400));
        assertTrue(deadlines.take(Kind.REFRESH, 400));
        assertFalse(deadlines.take(Kind.REFRESH, 400));
        assertTrue(deadlines.take(Kind.EXPIRE, 400));
        assertTrue(deadlines.isRunning(Kind.NO_ANSWER));
        assertEquals(5_000, arm());
    }

    @Test
    void aKindCancelledOrRestartedByAnEarlierOneIsNotTaken() {
        deadlines.start(Kind.REFRESH, 0, 100);
        deadlines.start(Kind.EXPIRE, 0, 200);
        deadlines.start(Kind.NO_ANSWER, 0, 150);
        List<Kind> due = deadlines.due(300);
        assertEquals(List.of(Kind.REFRESH, Kind.NO_ANSWER, Kind.EXPIRE), due);
        assertTrue(deadlines.take(Kind.REFRESH, 300));
        deadlines.cancel(Kind.NO_ANSWER); // the refresh's handling did this
        deadlines.start(Kind.EXPIRE, 300, 1_800); // and moved the expiry on
        assertFalse(deadlines.take(Kind.NO_ANSWER, 300));
        assertFalse(deadlines.take(Kind.EXPIRE, 300));
        assertEquals(2_100, arm());
    }

    @Test
    void aRepeatingKindMovesOnByItsPeriod() {
        deadlines.startRepeating(Kind.CHECK, 0, 1_000);
        assertEquals(1_000, arm());
        assertEquals(List.of(Kind.CHECK), deadlines.due(1_003));
        assertTrue(deadlines.take(Kind.CHECK, 1_003));
        assertEquals(2_000, arm());
        // a container timer that fired very late: the next deadline is after now, not in the past
        deadlines.due(7_500);
        assertTrue(deadlines.take(Kind.CHECK, 7_500));
        assertEquals(7_501, arm());
        assertThrows(IllegalArgumentException.class, () -> deadlines.startRepeating(Kind.CHECK, 0, 0));
    }

    @Test
    void nothingToTimeArmsNothing() {
        assertEquals(TimerDeadlines.NONE, arm());
        deadlines.start(Kind.EXPIRE, 0, 10);
        arm();
        deadlines.disarmed(); // the container timer could not be created
        assertEquals(10, deadlines.toArm());
    }
}
