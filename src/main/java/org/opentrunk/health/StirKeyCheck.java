package org.opentrunk.health;

import java.util.function.Supplier;
import org.opentrunk.core.stir.StirService;

/**
 * IC-STIR: whether the STIR/SHAKEN settings work. Up when signing and verification are on with a
 * usable key and trust anchors, or deliberately off (nothing set); down when an {@code OT_STIR_*}
 * setting is there but unusable (unreadable key, not P-256, x5u not HTTPS, no certificate in the
 * CA directory): calls then go unsigned or unverified, which carriers label, and the operator
 * should hear of it from the monitor rather than from customers.
 */
public final class StirKeyCheck implements HealthCheck {

    public static final String NAME = "stir";
    private final Supplier<StirService.Status> status;

    public StirKeyCheck(Supplier<StirService.Status> status) {
        this.status = status;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult check() {
        StirService.Status s = status.get();
        String detail = "signing: " + s.signingDetail() + "; verification: " + s.verifyingDetail();
        return s.broken() ? CheckResult.down(NAME, detail) : CheckResult.up(NAME, detail);
    }
}
