package org.opentrunk.sip;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.servlet.ServletException;
import javax.servlet.sip.SipFactory;
import javax.servlet.sip.SipServletRequest;
import javax.servlet.sip.SipServletResponse;
import javax.servlet.sip.SipURI;
import javax.servlet.sip.TimerService;
import javax.servlet.sip.annotation.SipServlet;
import org.opentrunk.core.config.Carrier;
import org.opentrunk.core.config.ConfigSnapshot;
import org.opentrunk.core.config.Customer;
import org.opentrunk.core.methods.MethodPolicy;
import org.opentrunk.core.routing.CarrierSelection;

/**
 * OpenTrunk's SIP entry point: every request and response of the application arrives here and
 * is handed to the call it belongs to. Initial INVITEs are the call path; read it top-down in
 * {@link #doInvite}.
 */
@SipServlet(name = TrunkServlet.NAME, loadOnStartup = 1)
public class TrunkServlet extends javax.servlet.sip.SipServlet {

    /** The servlet's name, selected as main servlet in WEB-INF/sip.xml. */
    public static final String NAME = "opentrunk";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(TrunkServlet.class.getName());

    private transient Trunk trunk;
    private transient SipFactory sipFactory;
    private transient TimerService timers;

    @Override
    public void init() throws ServletException {
        trunk = Trunk.of(getServletContext());
        sipFactory = Trunk.sipFactory(getServletContext());
        timers = (TimerService) getServletContext().getAttribute(TIMER_SERVICE);
        SessionCounts.publish();
    }

    @Override
    public void destroy() {
        SessionCounts.unpublish();
    }

    /** IC-METHODS: anything but the six supported methods is refused before dispatch. */
    @Override
    protected void doRequest(SipServletRequest request) throws ServletException, IOException {
        String method = request.getMethod();
        if (!MethodPolicy.isSupported(method)) {
            SipServletResponse response = request.createResponse(405, "Method Not Allowed");
            response.setHeader("Allow", MethodPolicy.ALLOW);
            response.send();
            return;
        }
        try {
            super.doRequest(request);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Failed to handle " + method + " " + request.getCallId(), e);
            if (!"ACK".equals(method) && !"CANCEL".equals(method) && !request.isCommitted()) {
                request.createResponse(500, "Server Internal Error").send();
            }
        }
    }

    @Override
    protected void doOptions(SipServletRequest request) throws IOException {
        SipServletResponse response = request.createResponse(200);
        response.setHeader("Allow", MethodPolicy.ALLOW);
        response.setHeader("Accept", MethodPolicy.ACCEPT);
        response.setHeader("Supported", MethodPolicy.SUPPORTED_EXTENSIONS);
        response.send();
    }

    @Override
    protected void doRegister(SipServletRequest request) throws IOException {
        // The registrar comes with inbound DID routing; until then tell PBXs to try later.
        SipServletResponse response = request.createResponse(503, "Registrar Not Available");
        response.setHeader("Retry-After", "300");
        response.send();
    }

    /** The call path: who is calling, may they, and where does the call go. */
    @Override
    protected void doInvite(SipServletRequest invite) throws IOException {
        if (!invite.isInitial()) {
            Call call = Call.of(invite);
            if (call == null) {
                invite.createResponse(481, "Call/Transaction Does Not Exist").send();
            } else {
                call.onReinvite(invite);
            }
            return;
        }
        ConfigSnapshot config = trunk.config().current();

        if (!(invite.getRequestURI() instanceof SipURI requestUri)
                || !trunk.identity().isOurs(requestUri.getHost())) {
            invite.createResponse(404, "Not Found (not this trunk's domain)").send();
            return;
        }
        Optional<Customer> customer = config.customerByIp(invite.getRemoteAddr());
        if (customer.isEmpty()) {
            invite.createResponse(403, "Forbidden").send(); // never reaches a carrier
            return;
        }
        List<Carrier> carriers = CarrierSelection.order(config.carriers(), Set.of(), ThreadLocalRandom.current());
        if (carriers.isEmpty()) {
            invite.createResponse(503, "No Carrier Available").send();
            return;
        }
        OutboundPlan plan = new OutboundPlan(customer.get(), requestUri.getUser(), null, Map.of(), Map.of(),
                invite.getRawContent(), carriers, null);
        Call.start(invite, plan, trunk, sipFactory, timers);
    }

    @Override
    protected void doAck(SipServletRequest ack) throws IOException {
        Call call = Call.of(ack);
        if (call != null) {
            call.onAck(ack);
        }
    }

    @Override
    protected void doBye(SipServletRequest bye) throws IOException {
        Call call = Call.of(bye);
        if (call == null) {
            bye.createResponse(481, "Call/Transaction Does Not Exist").send();
        } else {
            call.onBye(bye);
        }
    }

    @Override
    protected void doCancel(SipServletRequest cancel) throws IOException {
        Call call = Call.of(cancel);
        if (call != null) {
            call.onCancel();
        }
    }

    @Override
    protected void doResponse(SipServletResponse response) throws IOException {
        ResponseHandler handler = ResponseHandler.of(response);
        if (handler != null) {
            handler.onResponse(response);
        }
    }


}
