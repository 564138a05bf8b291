package org.opentrunk.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The CSV form of CDRs (IC-CDR): the emergency column (IC-EMERGENCY) comes last, after the older ones. */
@Tag("IC-CDR") @Tag("IC-EMERGENCY")
class CdrCsvTest {

    @Test
    void theEmergencyColumnIsLastAndFilledOnEveryRow() {
        CdrJson emergency = new CdrJson();
        emergency.id = 1;
        emergency.direction = "outbound";
        emergency.callee = "911";
        emergency.emergency = true;
        emergency.attestation = "A"; // IC-STIR: an outbound call signed A, no verstat
        emergency.origid = "0a1b2c3d-0000-4000-8000-000000000001";
        emergency.node = "node2";
        CdrJson ordinary = new CdrJson();
        ordinary.id = 2;
        ordinary.direction = "inbound";
        ordinary.attestation = "B";
        ordinary.verstat = "TN-Validation-Failed";

        String[] lines = CdrCsv.of(List.of(emergency, ordinary)).split("\r\n");
        assertTrue(CdrCsv.HEADER.startsWith("id,direction,") && CdrCsv.HEADER.contains(",dtmfCount,dtmfDigits,emergency,")
                        && CdrCsv.HEADER.endsWith(",emergency,attestation,verstat,origid,node"),
                "older columns keep their places");
        assertEquals(CdrCsv.HEADER, lines[0]);
        int columns = CdrCsv.HEADER.split(",").length;
        assertEquals(columns, lines[1].split(",", -1).length, lines[1]);
        assertTrue(lines[1].endsWith(",true,A,,0a1b2c3d-0000-4000-8000-000000000001,node2"), lines[1]);
        assertTrue(lines[2].endsWith(",false,B,TN-Validation-Failed,,"), lines[2]);
    }
}
