package org.opentrunk.admin.web;

import java.io.IOException;
import javax.enterprise.context.RequestScoped;
import javax.faces.context.ExternalContext;
import javax.faces.context.FacesContext;
import javax.inject.Inject;
import javax.inject.Named;
import javax.servlet.http.HttpServletRequest;
import org.opentrunk.admin.AdminCredentials;
import org.opentrunk.admin.AdminLoginThrottle;
import org.opentrunk.admin.AdminSession;

/** The login page and the logout button. */
@Named
@RequestScoped
public class LoginBean {

    public static final String HOME = "/admin/index.xhtml";

    @Inject
    private AdminCredentials credentials;
    @Inject
    private ExternalContext external;
    /** The same per-address throttle as the API's basic authentication. */
    @Inject
    private AdminLoginThrottle throttle;

    private String username = AdminCredentials.ADMIN_USER;
    private String password;

    public void login() throws IOException {
        String source = ((HttpServletRequest) external.getRequest()).getRemoteAddr();
        if (throttle.isBlocked(source)) {
            FieldMessages.error("login", "password", "Too many failed logins from this address; try again in "
                    + throttle.retryAfterSeconds() / 60 + " minutes.");
            return;
        }
        if (!credentials.matches(username, password)) {
            throttle.recordFailure(source);
            FieldMessages.error("login", "password", "Wrong user name or password.");
            return;
        }
        AdminSession.begin((HttpServletRequest) external.getRequest(), username);
        external.redirect(external.getRequestContextPath() + HOME);
    }

    public void logout() throws IOException {
        HttpServletRequest request = (HttpServletRequest) external.getRequest();
        AdminSession.end(request);
        external.redirect(external.getRequestContextPath() + "/login.xhtml?loggedOut=true");
        FacesContext.getCurrentInstance().responseComplete();
    }

    public String getUsername() { return username; }
    public void setUsername(String username) { this.username = username; }
    public String getPassword() { return password; }
    public void setPassword(String password) { this.password = password; }
}
