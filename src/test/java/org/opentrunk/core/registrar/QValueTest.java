package org.opentrunk.core.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The q parameter and delta-seconds, the two numbers a Contact carries. */
class QValueTest {

    @Test
    void qValuesFollowTheGrammar() {
        assertEquals(Optional.of(new QValue(0)), QValue.parse("0"));
        assertEquals(Optional.of(new QValue(500)), QValue.parse("0.5"));
        assertEquals(Optional.of(new QValue(125)), QValue.parse("0.125"));
        assertEquals(Optional.of(new QValue(0)), QValue.parse("0."));
        assertEquals(Optional.of(new QValue(1000)), QValue.parse("1"));
        assertEquals(Optional.of(new QValue(1000)), QValue.parse("1.000"));
        for (String bad : new String[] {null, "", ".5", "1.5", "1.001", "2", "0.1234", "-0", "0,5", "0.5 ", "O.5"}) {
            assertEquals(Optional.empty(), QValue.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new QValue(1001));
    }

    @Test
    void qValuesRenderShortAndOrder() {
        assertEquals("0.5", new QValue(500).render());
        assertEquals("0.125", new QValue(125).render());
        assertEquals("0.05", new QValue(50).render());
        assertEquals("1", new QValue(1000).render());
        assertEquals("0", new QValue(0).render());
        assertTrue(new QValue(700).compareTo(new QValue(500)) > 0);
        for (int t = 0; t <= QValue.MAX_THOUSANDTHS; t++) {
            assertEquals(Optional.of(new QValue(t)), QValue.parse(new QValue(t).render()));
        }
    }

    @Test
    void deltaSecondsAreDigitsUpTo2To32Minus1() {
        assertEquals(OptionalLong.of(0), DeltaSeconds.parse("0"));
        assertEquals(OptionalLong.of(3600), DeltaSeconds.parse(" 3600\t"));
        assertEquals(OptionalLong.of(60), DeltaSeconds.parse("0000000000000060"), "leading zeros are no overflow");
        assertEquals(OptionalLong.of(DeltaSeconds.MAX), DeltaSeconds.parse("4294967296"));
        assertEquals(OptionalLong.of(DeltaSeconds.MAX), DeltaSeconds.parse("9".repeat(40)));
        for (String bad : new String[] {null, "", " ", "-1", "+1", "1.0", "1e3", "٣"}) {
            assertEquals(OptionalLong.empty(), DeltaSeconds.parse(bad), bad);
        }
    }
}
