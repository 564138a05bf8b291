package org.opentrunk.health;

import java.util.Objects;

/**
 * What one check found.
 *
 * @param name   the check's name, as shown in the health JSON ({@code database}, {@code sip} ...)
 * @param up     whether that part works
 * @param detail a short sentence for the operator: a figure when up, the reason when down
 */
public record CheckResult(String name, boolean up, String detail) {

    public CheckResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(detail, "detail");
    }

    public static CheckResult up(String name, String detail) {
        return new CheckResult(name, true, detail);
    }

    public static CheckResult down(String name, String detail) {
        return new CheckResult(name, false, detail);
    }

    /** {@code UP} or {@code DOWN}, the words of the health JSON (those of MicroProfile Health). */
    public String status() {
        return up ? HealthReport.UP : HealthReport.DOWN;
    }
}
