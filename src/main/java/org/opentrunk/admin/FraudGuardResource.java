package org.opentrunk.admin;

import org.opentrunk.core.limits.CountryGuard;
import java.time.Instant;
import java.util.List;
import javax.enterprise.context.RequestScoped;
import javax.inject.Inject;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.opentrunk.store.NotFoundException;

/**
 * {@code /api/v1/fraud-guard}: customer/country pairs the automatic guard suspended after too many
 * calls per minute; listed until an operator clears them.
 */
@Path("fraud-guard")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "fraud", description = "Destination block list and automatic per-country suspensions")
public class FraudGuardResource {

    /** A suspension as the API shows it. */
    public static class SuspensionJson {
        public long customerId;
        public int countryCode;
        public String trippedAt;
        public int limitPerMinute;
    }

    @Inject
    private CountryGuard countryGuard;

    @GET
    @Operation(summary = "Customer/country pairs the automatic guard suspended (too many calls per minute)")
    public List<SuspensionJson> suspensions() {
        return countryGuard.suspensions().stream().map(s -> {
            SuspensionJson json = new SuspensionJson();
            json.customerId = s.customerId();
            json.countryCode = s.countryCode();
            json.trippedAt = Instant.ofEpochMilli(s.trippedAtMs()).toString();
            json.limitPerMinute = s.limitPerMinute();
            return json;
        }).toList();
    }

    @DELETE
    @Path("{customerId}/{countryCode}")
    @Operation(summary = "Lift a suspension: the customer may call that country again")
    public Response clear(@PathParam("customerId") long customerId, @PathParam("countryCode") int countryCode) {
        if (!countryGuard.clear(customerId, countryCode)) {
            throw new NotFoundException("customer " + customerId + " is not suspended for +" + countryCode);
        }
        return Response.noContent().build();
    }
}
