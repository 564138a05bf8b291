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

/** {@code /api/v1/customers}: PBX owners buying trunking. */
@Path("customers")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "customers", description = "PBX owners: IP addresses, tech prefix, digest credentials, limits")
public class CustomersResource {

    @Inject
    private CustomerService service;

    @GET
    @Operation(summary = "All customers")
    public List<CustomerJson> list() {
        return service.list();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One customer")
    public CustomerJson get(@PathParam("id") long id) {
        return service.get(id);
    }

    @POST
    @Operation(summary = "Create a customer (limits default to 30 channels and 5 calls per second)")
    public Response create(CustomerJson body, @Context UriInfo uri) {
        CustomerJson created = service.create(body);
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.id)).build()).entity(created).build();
    }

    @PUT
    @Path("{id}")
    @Operation(summary = "Replace a customer (digest credentials stay unless username or password is given)")
    public CustomerJson update(@PathParam("id") long id, CustomerJson body) {
        return service.update(id, body);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a customer without numbers")
    public Response delete(@PathParam("id") long id) {
        service.delete(id);
        return Response.noContent().build();
    }
}
