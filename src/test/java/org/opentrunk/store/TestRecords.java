package org.opentrunk.store;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.opentrunk.core.cdr.CallDirection;
import org.opentrunk.core.cdr.CallRecord;
import org.opentrunk.core.cdr.DisconnectCause;

/** Call records and waiting for the CDR tests. */
final class TestRecords {

    private TestRecords() {
    }

    static CallRecord record(String wave, int n) {
        return CallRecord.builder()
                .direction(n % 2 == 0 ? CallDirection.OUTBOUND : CallDirection.INBOUND)
                .customerCallId(wave + "-" + n + "@pbx.example.com")
                .carrierCallId(n % 3 == 0 ? null : "b-" + n + "@trunk")
                .customerId(7L)
                .carrierId(n % 3 == 0 ? null : 3L)
                .caller("+1206555" + String.format("%04d", n % 10_000))
                .callee("+12066418000")
                .startMs(1_735_689_600_000L + n)
                .answerMs(n % 3 == 0 ? null : 1_735_689_605_000L + n)
                .endMs(1_735_689_665_000L + n)
                .sipStatus(n % 3 == 0 ? 486 : 200)
                .disconnectCause(n % 3 == 0 ? DisconnectCause.REJECTED : DisconnectCause.CALLEE_BYE)
                .xTag("tag\t" + wave + "\n\"" + n + "\" \u00e9")
                .codec("PCMU")
                .route("sip:gw1.carrier.example:5060")
                .build();
    }

    static List<CallRecord> records(String wave, int count) {
        List<CallRecord> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(record(wave, i));
        }
        return list;
    }

    /** Waits until {@code condition}; fails the test after {@code timeout}. */
    static void waitUntil(BooleanSupplier condition, Duration timeout, String what) {
        await(what).atMost(timeout).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(condition::getAsBoolean);
    }
}
