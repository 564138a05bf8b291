package org.opentrunk.admin;

import java.util.List;
import javax.enterprise.context.RequestScoped;
import javax.inject.Inject;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.opentrunk.ladder.CallLadders;
import org.opentrunk.store.CdrEntity;
import org.opentrunk.store.CdrQuery;
import org.opentrunk.store.CdrStore;
import org.opentrunk.store.NotFoundException;

/** {@code /api/v1/cdrs}: call detail records, newest first, as JSON or CSV. */
@Path("cdrs")
@RequestScoped
@Tag(name = "cdrs", description = "Call detail records (one per call attempt)")
public class CdrsResource {

    private static final String CSV = "text/csv";

    @Inject
    private CdrStore store;
    @Inject
    private CallLadders ladders;

    /**
     * JSON unless the caller asks for CSV only ({@code Accept: text/csv}). One method decides:
     * with two @Produces methods, a request without Accept went to either, build by build.
     */
    @GET
    @Produces({MediaType.APPLICATION_JSON, CSV})
    @Operation(summary = "CDRs newest first, as JSON, or as CSV with Accept: text/csv; since/until are ISO-8601 instants (2026-11-26T10:00:00Z); direction is outbound or inbound, status the final SIP status; emergency=true lists only emergency calls (911, 112 ...), emergency=false all others")
    public Response list(@QueryParam("since") String since, @QueryParam("until") String until,
                         @QueryParam("number") String number, @QueryParam("customerId") String customerId,
                         @QueryParam("direction") String direction, @QueryParam("status") String status,
                         @QueryParam("emergency") String emergency,
                         @QueryParam("limit") @DefaultValue("" + CdrQuery.DEFAULT_LIMIT) int limit, @Context HttpHeaders headers) {
        CdrFilter filter = new CdrFilter();
        filter.setSince(since);
        filter.setUntil(until);
        filter.setNumber(number);
        filter.setCustomerId(customerId);
        filter.setDirection(direction);
        filter.setStatus(status);
        filter.setEmergency(emergency);
        List<CdrJson> cdrs = store.find(filter.query(limit)).stream().map(CdrJson::of).toList();
        boolean csv = headers.getAcceptableMediaTypes().stream().anyMatch(t -> t.isCompatible(MediaType.valueOf(CSV)) && !t.isWildcardType())
                && headers.getAcceptableMediaTypes().stream().noneMatch(t -> t.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !t.isWildcardType());
        return csv ? Response.ok(CdrCsv.of(cdrs), CSV).build() : Response.ok(cdrs, MediaType.APPLICATION_JSON).build();
    }

    /**
     * The SIP ladder of one CDR's call (issue 26): the messages of both legs, in the order
     * OpenTrunk handled them. 404 when there is no such CDR, or its messages are no longer kept
     * (the ring keeps the last OT_LADDER_CALLS calls).
     */
    @GET
    @Path("{id}/messages")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The SIP messages of a CDR's call, both legs (caller: the leg with customerCallId on outbound calls, carrierCallId on inbound), oldest first; credentials masked; 404 once they left the in-memory ring")
    public List<LadderMessageJson> messages(@PathParam("id") long id) {
        CdrEntity cdr = store.byId(id);
        if (cdr == null) {
            throw new NotFoundException("No CDR " + id);
        }
        List<LadderMessageJson> messages = LadderMessageJson.ofCall(cdr, ladders);
        if (messages.isEmpty()) {
            throw new NotFoundException("The SIP messages of CDR " + id + " are no longer kept (OT_LADDER_CALLS, OT_LADDER_MB)");
        }
        return messages;
    }
}
