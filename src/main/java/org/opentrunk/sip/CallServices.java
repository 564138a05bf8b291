package org.opentrunk.sip;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javax.servlet.sip.SipFactory;
import javax.servlet.sip.TimerService;
import org.opentrunk.call.CallSettings;
import org.opentrunk.core.cdr.CallRecord;
import org.opentrunk.media.MediaEngine;

/**
 * What every call takes from the trunk once its set-up is decided, and nothing else: built once
 * when the SIP servlet starts and handed to each {@link SipCall}.
 *
 * @param settings  the call's settings (timers, failover, media)
 * @param media     the relay for customers with anchorMedia (IC-DIRECT)
 * @param liveCalls the list a call is on while it lasts
 * @param cdrs      where its one CDR goes (IC-CDR)
 * @param ladder    where the messages it sends go, for its SIP ladder (issue 26)
 */
record CallServices(CallSettings settings, MediaEngine media, LiveCalls liveCalls,
                    Recorder cdrs, SipFactory sipFactory, TimerService timers, LadderTap ladder) {

    /** Where a call's record goes: the trunk, which counts it into the metrics and queues it for the journal. */
    interface Recorder {
        void record(CallRecord record);

        CompletableFuture<Boolean> recordDurably(CallRecord record, Duration bound);
    }

    CallServices {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(liveCalls, "liveCalls");
        Objects.requireNonNull(cdrs, "cdrs");
        Objects.requireNonNull(sipFactory, "sipFactory");
        Objects.requireNonNull(timers, "timers");
        Objects.requireNonNull(ladder, "ladder");
    }

    /** The services of {@code trunk}'s calls. */
    static CallServices of(Trunk trunk, SipFactory sipFactory, TimerService timers, LadderTap ladder) {
        var settings = trunk.settings();
        return new CallServices(new CallSettings(settings.sessionExpires(), settings.sessionMinSe(),
                settings.failoverTimeout(), settings.media().mediaTimeout(), settings.media().keepDigits(),
                trunk.identity().domain()), trunk.media(), trunk.liveCalls(), trunk, sipFactory, timers,
                ladder);
    }
}
