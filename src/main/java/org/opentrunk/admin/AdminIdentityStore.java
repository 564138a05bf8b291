package org.opentrunk.admin;

import java.util.Set;
import javax.enterprise.context.ApplicationScoped;
import javax.inject.Inject;
import javax.security.enterprise.credential.UsernamePasswordCredential;
import javax.security.enterprise.identitystore.CredentialValidationResult;
import javax.security.enterprise.identitystore.IdentityStore;

/**
 * The REST API's identity store: user {@code admin}, checked against the stored hash. The HTTP
 * side (basic authentication, throttling) is {@link AdminAuthenticationMechanism}; WEB-INF/web.xml
 * puts {@code /api/*} behind it.
 */
@ApplicationScoped
public class AdminIdentityStore implements IdentityStore {

    public static final String ADMIN_ROLE = "admin";

    @Inject
    private AdminCredentials credentials;

    public CredentialValidationResult validate(UsernamePasswordCredential credential) {
        return credentials.matches(credential.getCaller(), credential.getPasswordAsString())
                ? new CredentialValidationResult(credential.getCaller(), Set.of(ADMIN_ROLE))
                : CredentialValidationResult.INVALID_RESULT;
    }
}
