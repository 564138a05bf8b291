package org.opentrunk.admin;

import java.util.Objects;
import javax.enterprise.context.ApplicationScoped;
import org.opentrunk.sip.Trunk;

/**
 * Gives CDI beans the application's {@link Trunk}. ProvisioningStartup binds it from the servlet
 * context at start-up: Liberty's injectable ServletContext is not usable while listeners run.
 */
@ApplicationScoped
public class TrunkHolder {

    private volatile Trunk trunk;

    void bind(Trunk trunk) {
        this.trunk = Objects.requireNonNull(trunk);
    }

    public Trunk trunk() {
        Trunk t = trunk;
        if (t == null) {
            throw new IllegalStateException("OpenTrunk has not finished starting");
        }
        return t;
    }
}
