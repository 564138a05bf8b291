package org.opentrunk.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import javax.json.Json;
import javax.json.JsonObject;
import org.junit.jupiter.api.Test;

class HealthReportTest {

    @Test
    void upOnlyWhenEveryCheckIsUp() {
        assertTrue(HealthReport.of(List.of(CheckResult.up("a", "fine"), CheckResult.up("b", "fine"))).up());
        HealthReport oneDown = HealthReport.of(List.of(CheckResult.up("a", "fine"), CheckResult.down("b", "broken"),
                CheckResult.down("c", "gone")));
        assertFalse(oneDown.up());
        assertEquals("DOWN", oneDown.status());
        assertEquals(List.of("b", "c"), oneDown.failing());
    }

    @Test
    void noChecksFindNothingWrong() {
        assertTrue(HealthReport.of(List.of()).up());
    }

    @Test
    void jsonNamesEachCheckWithItsStatusAndDetail() {
        HealthReport report = HealthReport.of(List.of(CheckResult.up("database", "answered in 2 ms"),
                CheckResult.down("cdr-journal", "cannot write in \"/data\"")));
        JsonObject json = Json.createReader(new StringReader(report.toJson())).readObject();
        assertEquals("DOWN", json.getString("status"));
        assertEquals(2, json.getJsonArray("checks").size());
        JsonObject database = json.getJsonArray("checks").getJsonObject(0);
        assertEquals("database", database.getString("name"));
        assertEquals("UP", database.getString("status"));
        assertEquals("answered in 2 ms", database.getString("detail"));
        JsonObject journal = json.getJsonArray("checks").getJsonObject(1);
        assertEquals("DOWN", journal.getString("status"));
        assertEquals("cannot write in \"/data\"", journal.getString("detail"), "escaped and read back");
    }
}
