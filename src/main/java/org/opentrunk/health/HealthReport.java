package org.opentrunk.health;

import java.io.StringWriter;
import java.util.List;
import javax.json.Json;
import javax.json.stream.JsonGenerator;

/**
 * The results of a group of checks and their verdict: up only when every check is up (and a
 * group without checks is up: it found nothing wrong).
 *
 * <p>JSON in the shape of MicroProfile Health, so tools written for it read it, with the
 * check's sentence under {@code detail}:
 * {@code {"status":"UP","checks":[{"name":"database","status":"UP","detail":"answered in 2 ms"}]}}.
 */
public record HealthReport(boolean up, List<CheckResult> checks) {

    public static final String UP = "UP";
    public static final String DOWN = "DOWN";

    public HealthReport {
        checks = List.copyOf(checks);
    }

    public static HealthReport of(List<CheckResult> checks) {
        return new HealthReport(checks.stream().allMatch(CheckResult::up), checks);
    }

    public String status() {
        return up ? UP : DOWN;
    }

    /** The names of the checks that are down, for a log line or a reason phrase. */
    public List<String> failing() {
        return checks.stream().filter(c -> !c.up()).map(CheckResult::name).toList();
    }

    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = Json.createGenerator(out)) {
            json.writeStartObject().write("status", status()).writeStartArray("checks");
            for (CheckResult check : checks) {
                json.writeStartObject().write("name", check.name()).write("status", check.status())
                        .write("detail", check.detail()).writeEnd();
            }
            json.writeEnd().writeEnd();
        }
        return out.toString();
    }
}
