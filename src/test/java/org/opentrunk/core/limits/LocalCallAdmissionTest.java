package org.opentrunk.core.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalCallAdmissionTest {

    private static final long CUSTOMER = 7;
    private final LocalCallAdmission admission = new LocalCallAdmission();

    @Test
    void admitsUpToMaxChannelsAndAChannelGivenBackIsFreeAgain() {
        List<ChannelGrant> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(admission.acquireNow(CUSTOMER, 3, CallAdmission.NO_RATE_LIMIT, 0));
        }
        assertTrue(held.stream().allMatch(ChannelGrant::admitted));
        ChannelGrant fourth = admission.acquireNow(CUSTOMER, 3, CallAdmission.NO_RATE_LIMIT, 0);
        assertEquals(ChannelGrant.Verdict.CHANNEL_LIMIT, fourth.verdict());
        assertEquals(3, admission.inUse(CUSTOMER));
        held.get(0).release();
        held.get(0).release(); // idempotent: one channel back, not two
        assertEquals(2, admission.inUse(CUSTOMER));
        assertTrue(admission.acquireNow(CUSTOMER, 3, CallAdmission.NO_RATE_LIMIT, 0).admitted());
        assertEquals(ChannelGrant.Verdict.CHANNEL_LIMIT, admission.acquireNow(CUSTOMER, 3, CallAdmission.NO_RATE_LIMIT, 0).verdict());
    }

    @Test
    void aCallOverTheRateGetsNoChannelAndARefusalForLackOfChannelsSpendsNoToken() {
        assertTrue(admission.acquireNow(CUSTOMER, 1, 2, 0).admitted());
        // no channel: refused before the rate, so the bucket still holds its second token
        assertEquals(ChannelGrant.Verdict.CHANNEL_LIMIT, admission.acquireNow(CUSTOMER, 1, 2, 0).verdict());
        assertTrue(admission.acquireNow(CUSTOMER, 10, 2, 0).admitted());
        ChannelGrant third = admission.acquireNow(CUSTOMER, 10, 2, 0);
        assertEquals(ChannelGrant.Verdict.RATE_LIMIT, third.verdict());
        assertEquals(2, admission.inUse(CUSTOMER), "the refused call holds no channel");
        assertTrue(admission.acquireNow(CUSTOMER, 10, 2, 1_000_000_000L).admitted(), "a second later the bucket refilled");
    }

    @Test
    void zeroCallsPerSecondRefusesEveryCallAndCountedCallsAreNeverRefused() {
        assertEquals(ChannelGrant.Verdict.RATE_LIMIT, admission.acquireNow(CUSTOMER, 10, 0, 0).verdict());
        assertTrue(admission.acquireNow(CUSTOMER, 1, CallAdmission.NO_RATE_LIMIT, 0).admitted());
        ChannelGrant emergency = admission.count(CUSTOMER);
        assertTrue(emergency.admitted());
        assertEquals(2, admission.inUse(CUSTOMER));
        emergency.release();
        assertEquals(1, admission.inUse(CUSTOMER));
    }

    @Test
    void theStageIsCompleteAtOnce() {
        assertTrue(admission.acquire(CUSTOMER, 1, 1).toCompletableFuture().isDone());
        assertFalse(ChannelGrant.refused(ChannelGrant.Verdict.UNAVAILABLE).admitted());
    }
}
