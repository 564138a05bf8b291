package org.opentrunk.core.stir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** IC-STIR: verstat is a parameter of the caller's URI, inside the angle brackets (3GPP TS 24.229 7.2A.20). */
@Tag("IC-STIR")
class VerstatParameterTest {

    @Test
    void goesInsideTheBracketsAfterTheUriParameters() {
        assertEquals("\"ACME\" <sip:+12065550123@trunk.example.net;user=phone;verstat=TN-Validation-Passed>",
                VerstatParameter.add("\"ACME\" <sip:+12065550123@trunk.example.net;user=phone>", Verstat.PASSED));
        assertEquals("<sip:+12065550123@t;verstat=No-TN-Validation>",
                VerstatParameter.add("<sip:+12065550123@t>", Verstat.NO_VALIDATION));
    }

    @Test
    void beforeUriHeadersAndNeverOnAValueWithoutBrackets() {
        assertEquals("<sip:+1@t;user=phone;verstat=TN-Validation-Failed?X=y>",
                VerstatParameter.add("<sip:+1@t;user=phone?X=y>", Verstat.FAILED));
        assertEquals("sip:+1@t", VerstatParameter.add("sip:+1@t", Verstat.FAILED));
    }

    @Test
    void verstatTextsAreTheOnesPbxsMatch() {
        assertEquals("TN-Validation-Passed", Verstat.PASSED.parameter());
        assertEquals("TN-Validation-Failed", Verstat.FAILED.parameter());
        assertEquals("No-TN-Validation", Verstat.NO_VALIDATION.parameter());
    }
}
