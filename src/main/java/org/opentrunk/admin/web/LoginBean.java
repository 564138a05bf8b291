package org.opentrunk.admin.web;

import java.io.IOException;
import javax.enterprise.context.RequestScoped;
import javax.faces.context.ExternalContext;
import javax.faces.context.FacesContext;
import javax.inject.Inject;
import javax.inject.Named;
import javax.servlet.http.HttpServletRequest;
import org.opentrunk.admin.AdminSession;

/** The logout button (the login page is {@link LoginServlet}). */
@Named
@RequestScoped
public class LoginBean {

    public static final String HOME = "/admin/index.xhtml";

    @Inject
    private ExternalContext external;

    public void logout() throws IOException {
        HttpServletRequest request = (HttpServletRequest) external.getRequest();
        AdminSession.end(request);
        external.redirect(external.getRequestContextPath() + "/login.xhtml?loggedOut=true");
        FacesContext.getCurrentInstance().responseComplete();
    }
}
