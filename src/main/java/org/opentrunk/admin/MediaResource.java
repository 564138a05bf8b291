package org.opentrunk.admin;

import javax.enterprise.context.RequestScoped;
import javax.inject.Inject;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.opentrunk.sip.Trunk;

/** {@code /api/v1/media}: the media relay of anchored calls (IC-DIRECT). */
@Path("media")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "media", description = "Media relay of anchored calls")
public class MediaResource {

    @Inject
    private TrunkAssembly assembly;

    @GET
    @Operation(summary = "Sessions, port pairs in use and free, packets relayed")
    public MediaJson get() {
        Trunk trunk = assembly.trunk();
        return MediaJson.of(trunk.mediaStatistics(), trunk.mediaPortPairsFree());
    }
}
