package org.opentrunk.core.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.timer.SessionTimerRules.LegTimer;
import org.opentrunk.core.timer.SessionTimerRules.UasDecision;

@Tag("IC-TIMER")
class SessionTimerRulesTest {

    @Test
    void tooSmallIntervalsAre422WithOurMinSe() {
        assertEquals(new UasDecision.TooSmall(90), SessionTimerRules.asUas("60", true, 90, 1800));
    }

    @Test
    void theCustomersRefresherChoiceIsKeptAndUacIsTheDefault() {
        UasDecision.Agreed uac = (UasDecision.Agreed) SessionTimerRules.asUas("120;refresher=uac", true, 90, 1800);
        assertEquals(new LegTimer(120, false, true), uac.timer());
        assertEquals("120;refresher=uac", uac.sessionExpiresHeader());
        UasDecision.Agreed uas = (UasDecision.Agreed) SessionTimerRules.asUas("120;refresher=uas", true, 90, 1800);
        assertTrue(uas.timer().openTrunkRefreshes());
        UasDecision.Agreed none = (UasDecision.Agreed) SessionTimerRules.asUas(null, true, 90, 1800);
        assertEquals(new LegTimer(1800, false, true), none.timer());
    }

    @Test
    void withoutTimerSupportOpenTrunkRefreshesThatLegItself() {
        UasDecision.Agreed d = (UasDecision.Agreed) SessionTimerRules.asUas(null, false, 90, 1800);
        assertTrue(d.timer().openTrunkRefreshes());
        assertNull(d.sessionExpiresHeader(), "no Session-Expires/Require towards a peer without timer");
    }

    @Test
    void theCarriersAnswerDecidesTheCarrierLeg() {
        assertEquals(new LegTimer(1800, true, false), SessionTimerRules.asUac(null, 1800));
        assertEquals(new LegTimer(600, false, true), SessionTimerRules.asUac("600;refresher=uas", 1800));
        assertEquals(new LegTimer(600, true, true), SessionTimerRules.asUac("600;refresher=uac", 1800));
    }

    @Test
    void expiryIsTheIntervalMinusTheSmallerOf32sAndAThird() {
        assertEquals(1800 - 32, SessionTimerRules.expiryDelaySeconds(1800));
        assertEquals(60, SessionTimerRules.expiryDelaySeconds(90));
        assertEquals(4, SessionTimerRules.expiryDelaySeconds(6));
        assertEquals(45, new LegTimer(90, true, true).refreshDelaySeconds());
        assertFalse(SessionTimerRules.interval("abc").isPresent());
        assertFalse(SessionTimerRules.interval("-5").isPresent());
    }
}
