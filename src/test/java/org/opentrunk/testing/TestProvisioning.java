package org.opentrunk.testing;

import java.util.List;
import java.util.Set;
import javax.servlet.ServletContextEvent;
import javax.servlet.ServletContextListener;
import javax.servlet.annotation.WebListener;
import org.opentrunk.core.config.Carrier;
import org.opentrunk.core.config.ConfigSnapshot;
import org.opentrunk.core.config.Customer;
import org.opentrunk.core.config.Transport;
import org.opentrunk.sip.Trunk;

/**
 * Added to the test WAR only: installs the test network's customer and carrier as the live
 * configuration snapshot when the application starts.
 */
@WebListener
public class TestProvisioning implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent event) {
        Customer pbx = Customer.byIp(1, "Test PBX", "12345678", Set.of(TestNet.CUSTOMER_PBX));
        Carrier carrier = new Carrier(1, "Test carrier", TestNet.CARRIER, TestNet.CARRIER_PORT,
                Transport.UDP, 10, 1, true);
        Trunk.of(event.getServletContext()).config().replace(new ConfigSnapshot(List.of(pbx), List.of(carrier), List.of()));
    }
}
