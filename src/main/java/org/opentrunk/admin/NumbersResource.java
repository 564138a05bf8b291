package org.opentrunk.admin;

import java.util.List;
import javax.enterprise.context.RequestScoped;
import javax.inject.Inject;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/numbers}: customers' numbers (DIDs), their routes and CNAM storage. */
@Path("numbers")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "numbers", description = "DIDs: routes for inbound calls, CNAM lookup flag, CNAM storage")
public class NumbersResource {

    @Inject
    private NumberService service;

    @GET
    @Operation(summary = "Numbers, optionally matching a search (digits) or of one customer; paged")
    public List<NumberJson> list(@QueryParam("search") String search, @QueryParam("customerId") Long customerId,
                                 @QueryParam("offset") @DefaultValue("0") int offset,
                                 @QueryParam("limit") @DefaultValue("100") int limit) {
        return service.list(search, customerId, offset, limit);
    }

    @GET
    @Path("{e164}")
    @Operation(summary = "One number")
    public NumberJson get(@PathParam("e164") String e164) {
        return service.get(e164);
    }

    @POST
    @Operation(summary = "Provision a number with its routes")
    public Response create(NumberJson body, @Context UriInfo uri) {
        NumberJson created = service.create(body);
        return Response.created(uri.getAbsolutePathBuilder().path(created.e164).build()).entity(created).build();
    }

    @PUT
    @Path("{e164}")
    @Operation(summary = "Replace a number's customer, CNAM lookup flag and routes")
    public NumberJson update(@PathParam("e164") String e164, NumberJson body) {
        return service.update(e164, body);
    }

    @DELETE
    @Path("{e164}")
    @Operation(summary = "Remove a number")
    public Response delete(@PathParam("e164") String e164) {
        service.delete(e164);
        return Response.noContent().build();
    }

    @GET
    @Path("{e164}/cnam")
    @Operation(summary = "The number's stored caller name")
    public CnamJson getCnam(@PathParam("e164") String e164) {
        return service.getCnam(e164);
    }

    @PUT
    @Path("{e164}/cnam")
    @Operation(summary = "Store the caller name for outbound calls (not for toll-free, Canadian or iNum numbers)")
    public CnamJson setCnam(@PathParam("e164") String e164, CnamJson body) {
        return service.setCnam(e164, body);
    }

    @DELETE
    @Path("{e164}/cnam")
    @Operation(summary = "Clear the stored caller name")
    public Response clearCnam(@PathParam("e164") String e164) {
        service.clearCnam(e164);
        return Response.noContent().build();
    }
}
