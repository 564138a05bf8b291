package org.opentrunk.admin;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import javax.enterprise.context.RequestScoped;
import javax.inject.Inject;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.opentrunk.core.provisioning.InvalidFieldException;
import org.opentrunk.store.CdrQuery;
import org.opentrunk.store.CdrStore;

/** {@code /api/v1/cdrs}: call detail records, newest first, as JSON or CSV. */
@Path("cdrs")
@RequestScoped
@Tag(name = "cdrs", description = "Call detail records (one per call attempt)")
public class CdrsResource {

    private static final String CSV = "text/csv";

    @Inject
    private CdrStore store;

    /**
     * JSON unless the caller asks for CSV only ({@code Accept: text/csv}). One method decides:
     * with two @Produces methods, a request without Accept went to either, build by build.
     */
    @GET
    @Produces({MediaType.APPLICATION_JSON, CSV})
    @Operation(summary = "CDRs newest first, as JSON, or as CSV with Accept: text/csv; since/until are ISO-8601 instants (2026-11-26T10:00:00Z)")
    public Response list(@QueryParam("since") String since, @QueryParam("until") String until,
                         @QueryParam("number") String number, @QueryParam("customerId") Long customerId,
                         @QueryParam("limit") @DefaultValue("" + CdrQuery.DEFAULT_LIMIT) int limit, @Context HttpHeaders headers) {
        List<CdrJson> cdrs = store.find(query(since, until, number, customerId, limit)).stream().map(CdrJson::of).toList();
        boolean csv = headers.getAcceptableMediaTypes().stream().anyMatch(t -> t.isCompatible(MediaType.valueOf(CSV)) && !t.isWildcardType())
                && headers.getAcceptableMediaTypes().stream().noneMatch(t -> t.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !t.isWildcardType());
        return csv ? Response.ok(CdrCsv.of(cdrs), CSV).build() : Response.ok(cdrs, MediaType.APPLICATION_JSON).build();
    }

    private static CdrQuery query(String since, String until, String number, Long customerId, int limit) {
        if (limit < 1 || limit > CdrQuery.MAX_LIMIT) {
            throw new InvalidFieldException("limit", "limit must be from 1 to " + CdrQuery.MAX_LIMIT);
        }
        return new CdrQuery(instant("since", since), instant("until", until),
                number == null || number.isBlank() ? null : NumberService.canonical("number", number), customerId, limit);
    }

    private static Long instant(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.trim()).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException(field, field + " must be an ISO-8601 instant such as 2026-11-26T10:00:00Z");
        }
    }
}
