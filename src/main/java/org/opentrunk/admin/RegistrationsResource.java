package org.opentrunk.admin;

import org.opentrunk.core.registrar.BindingTable;
import java.time.Instant;
import java.util.List;
import javax.enterprise.context.RequestScoped;
import javax.inject.Inject;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import javax.ws.rs.Path;
import javax.ws.rs.QueryParam;
import org.opentrunk.core.registrar.Binding;

/**
 * {@code /api/v1/registrations}: the contacts customers' PBXs registered (routes of type
 * registration deliver inbound calls there), with where each REGISTER came from.
 */
@Path("registrations")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "registrations", description = "Contacts registered by customers' PBXs")
public class RegistrationsResource {

    /** A binding as the API shows it. */
    public static class RegistrationJson {
        public long customerId;
        public String contact;
        /** address:port the REGISTER came from; inbound calls are sent there */
        public String source;
        public String transport;
        public String expiresAt;
        public String userAgent;
    }

    @Inject
    private BindingTable registrar;

    @GET
    @Operation(summary = "Current registrations, optionally of one customer")
    public List<RegistrationJson> registrations(@QueryParam("customerId") Long customerId) {
        long now = System.currentTimeMillis();
        List<Binding> bindings = customerId == null ? registrar.all()
                : registrar.current(customerId, now);
        return bindings.stream().filter(b -> !b.isExpired(now)).map(b -> {
            RegistrationJson json = new RegistrationJson();
            json.customerId = b.customerId();
            json.contact = b.contactUri();
            json.source = b.sourceAddress() + ":" + b.sourcePort();
            json.transport = b.transport().name().toLowerCase(java.util.Locale.ROOT);
            json.expiresAt = Instant.ofEpochMilli(b.expiresAtMs()).toString();
            json.userAgent = b.userAgent().orElse(null);
            return json;
        }).toList();
    }
}
