package org.opentrunk.core.limits;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** What {@link AdmissionGuard} decided about a new INVITE. */
public sealed interface Admission permits Admission.Admitted, Admission.Refused {

    /**
     * The INVITE may proceed. It holds one of the guard's in-progress places until
     * {@link #release()}, which the caller calls when the INVITE is answered (2xx) or fails,
     * however that happens; calling it again does nothing.
     */
    final class Admitted implements Admission {
        private final AtomicInteger inProgress;
        private final AtomicBoolean released = new AtomicBoolean();

        Admitted(AtomicInteger inProgress) {
            this.inProgress = inProgress;
        }

        /** Gives the place back; true the first time, false (and nothing happens) after. */
        public boolean release() {
            if (!released.compareAndSet(false, true)) {
                return false;
            }
            inProgress.decrementAndGet();
            return true;
        }

        public boolean isReleased() {
            return released.get();
        }
    }

    /**
     * Refused: answer 503 Service Unavailable with {@code Retry-After: retryAfterSeconds}.
     */
    record Refused(Reason reason, int retryAfterSeconds) implements Admission {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Why an INVITE was refused; {@link #description()} is for the log. */
    enum Reason {
        /** The trunk has as many INVITEs in progress as it takes. */
        OVERLOADED("too many calls being set up"),
        /** This source address sends new INVITEs faster than its rate. */
        SOURCE_RATE("too many new calls from this address");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }
}
