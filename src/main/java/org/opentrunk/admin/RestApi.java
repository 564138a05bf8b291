package org.opentrunk.admin;

import javax.ws.rs.ApplicationPath;
import javax.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The operator's REST API, JSON under {@code /api/v1}. Field names are part of the contract. */
@ApplicationPath("/api/v1")
@OpenAPIDefinition(info = @Info(title = "OpenTrunk provisioning API", version = "1",
        description = "Customers, carriers, numbers (DIDs) with their routes, CNAM storage, CDRs and live calls."),
        security = @SecurityRequirement(name = "basic"))
@SecurityScheme(securitySchemeName = "basic", type = SecuritySchemeType.HTTP, scheme = "basic")
public class RestApi extends Application {
}
