package org.opentrunk.admin;

import java.time.Instant;
import java.util.List;
import javax.enterprise.context.RequestScoped;
import javax.inject.Inject;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.opentrunk.core.provisioning.FieldRules;
import org.opentrunk.core.provisioning.InvalidFieldException;
import org.opentrunk.store.BlockedPrefixEntity;
import org.opentrunk.store.ProvisioningStore;

/** {@code /api/v1/blocked-prefixes}: the operator's destination block list (toll fraud). */
@Path("blocked-prefixes")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "fraud", description = "Destination block list and automatic per-country suspensions")
public class BlockedPrefixesResource {

    @Inject
    private ProvisioningStore store;
    @Inject
    private ConfigPublisher publisher;

    @GET
    @Operation(summary = "Destination prefixes no customer may call")
    public List<BlockedPrefixJson> blocked() {
        return store.blockedPrefixes().stream().map(BlockedPrefixesResource::toJson).toList();
    }

    @POST
    @Operation(summary = "Block a destination prefix for every customer")
    public Response block(BlockedPrefixJson body, @Context UriInfo uri) {
        if (body == null) {
            throw new InvalidFieldException("body", "a blocked-prefix object is required");
        }
        String prefix = FieldRules.e164Prefix("prefix", body.prefix);
        String note = body.note == null ? null : body.note.strip();
        if (note != null && note.length() > 200) {
            throw new InvalidFieldException("note", "note must be at most 200 characters");
        }
        BlockedPrefixEntity saved = store.block(new BlockedPrefixEntity(prefix, note, System.currentTimeMillis()));
        publisher.publish();
        return Response.created(uri.getAbsolutePathBuilder().path(prefix).build()).entity(toJson(saved)).build();
    }

    @DELETE
    @Path("{prefix}")
    @Operation(summary = "Unblock a destination prefix")
    public Response unblock(@PathParam("prefix") String prefix) {
        store.unblock(FieldRules.e164Prefix("prefix", prefix));
        publisher.publish();
        return Response.noContent().build();
    }

    private static BlockedPrefixJson toJson(BlockedPrefixEntity e) {
        BlockedPrefixJson json = new BlockedPrefixJson();
        json.prefix = e.getPrefix();
        json.note = e.getNote();
        json.created = Instant.ofEpochMilli(e.getCreatedMs()).toString();
        return json;
    }
}
