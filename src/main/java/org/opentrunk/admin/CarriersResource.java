package org.opentrunk.admin;

import java.util.List;
import javax.enterprise.context.RequestScoped;
import javax.inject.Inject;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/carriers}: upstream PSTN gateways. */
@Path("carriers")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "carriers", description = "Upstream PSTN gateways: where outbound calls go and inbound calls come from")
public class CarriersResource {

    @Inject
    private CarrierService service;

    @GET
    @Operation(summary = "All carriers, by priority")
    public List<CarrierJson> list() {
        return service.list();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One carrier")
    public CarrierJson get(@PathParam("id") long id) {
        return service.get(id);
    }

    @POST
    @Operation(summary = "Create a carrier (port 5060, udp, priority 10, weight 1, enabled unless given)")
    public Response create(CarrierJson body, @Context UriInfo uri) {
        CarrierJson created = service.create(body);
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.id)).build()).entity(created).build();
    }

    @PUT
    @Path("{id}")
    @Operation(summary = "Replace a carrier")
    public CarrierJson update(@PathParam("id") long id, CarrierJson body) {
        return service.update(id, body);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a carrier")
    public Response delete(@PathParam("id") long id) {
        service.delete(id);
        return Response.noContent().build();
    }
}
