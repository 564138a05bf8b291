package org.opentrunk.admin.web;

import javax.enterprise.context.ApplicationScoped;
import javax.faces.annotation.FacesConfig;

/** Turns on JSF 2.3 behaviour: CDI beans in EL, injectable FacesContext and ExternalContext. */
@FacesConfig(version = FacesConfig.Version.JSF_2_3)
@ApplicationScoped
public class AdminFacesConfig {
}
