package org.opentrunk.admin;

import org.opentrunk.sip.LiveCalls;
import java.util.Comparator;
import java.util.List;
import javax.enterprise.context.RequestScoped;
import javax.inject.Inject;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.opentrunk.call.CallSummary;

/** {@code /api/v1/calls}: the calls in progress. */
@Path("calls")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "calls", description = "Calls in progress")
public class CallsResource {

    @Inject
    private LiveCalls liveCalls;

    @GET
    @Operation(summary = "Calls in progress on every node, oldest first")
    public List<CallJson> list() {
        long now = System.currentTimeMillis();
        return liveCalls.everywhere().stream()
                .sorted(Comparator.comparingLong(c -> c.summary().startedAtMs()))
                .map(c -> CallJson.of(c, now)).toList();
    }
}
