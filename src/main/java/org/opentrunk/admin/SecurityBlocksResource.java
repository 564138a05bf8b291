package org.opentrunk.admin;

import org.opentrunk.core.limits.AuthFailureGuard;
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
import org.opentrunk.core.timer.SteadyClock;
import org.opentrunk.store.NotFoundException;

/**
 * {@code /api/v1/security/blocks}: source addresses blocked after repeated failed digest
 * authentications (brute force); a block ends by itself after OT_AUTH_BLOCK_TIME or when an
 * operator lifts it.
 */
@Path("security/blocks")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "security", description = "Addresses blocked for brute-forcing digest credentials")
public class SecurityBlocksResource {

    /** A block as the API shows it. */
    public static class BlockJson {
        public String address;
        public String blockedAt;
        public String until;
        public int failures;
    }

    @Inject
    private AuthFailureGuard authFailures;

    @GET
    @Operation(summary = "Addresses blocked after too many failed authentications (wrong digest passwords, wrong tech prefixes from customers' addresses)")
    public List<BlockJson> blocks() {
        return authFailures.blocks(SteadyClock.millis()).stream().map(b -> {
            BlockJson json = new BlockJson();
            json.address = b.address();
            json.blockedAt = Instant.ofEpochMilli(b.blockedAtMs()).toString();
            json.until = Instant.ofEpochMilli(b.untilMs()).toString();
            json.failures = b.failures();
            return json;
        }).toList();
    }

    @DELETE
    @Path("{address}")
    @Operation(summary = "Lift a block: the address may authenticate again")
    public Response unblock(@PathParam("address") String address) {
        if (!authFailures.unblock(address)) {
            throw new NotFoundException("address " + address + " is not blocked");
        }
        return Response.noContent().build();
    }
}
