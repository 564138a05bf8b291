package org.opentrunk.admin;

import java.util.Set;
import javax.enterprise.context.ApplicationScoped;
import javax.inject.Inject;
import javax.security.enterprise.credential.UsernamePasswordCredential;
import javax.security.enterprise.identitystore.CredentialValidationResult;
import javax.security.enterprise.identitystore.IdentityStore;

/**
 * The admin user {@code admin}, checked against the stored hash. {@link AdminAuthenticationMechanism}
 * asks it for the REST API (HTTP basic) and the admin pages (form login).
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
