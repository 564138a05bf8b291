package org.opentrunk.admin.web;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.faces.context.ExternalContext;
import javax.faces.view.ViewScoped;
import javax.inject.Inject;
import javax.inject.Named;
import org.opentrunk.admin.CnamJson;
import org.opentrunk.admin.NumberJson;
import org.opentrunk.admin.NumberService;
import org.opentrunk.admin.RouteJson;
import org.opentrunk.core.config.RouteType;
import org.opentrunk.core.numbering.CnamEligibility;
import org.opentrunk.core.provisioning.InvalidFieldException;
import org.opentrunk.core.provisioning.RouteRules;

/**
 * One number: create it, or edit its customer, CNAM lookup switch and routes; set or clear its
 * stored CNAM name. Everything goes through {@link NumberService}, the API's rules.
 */
@Named("numberEdit")
@ViewScoped
public class NumberEditBean implements Serializable {

    private static final long serialVersionUID = 1L;
    static final String FORM = "number";
    static final String CNAM_FORM = "cnam";
    static final String PAGE = "/admin/number.xhtml";
    /** Values of the page's {@code done} parameter: what the save before the redirect did. */
    static final String CREATED = "created";
    static final String SAVED = "saved";

    @Inject
    private NumberService service;
    @Inject
    private ExternalContext external;

    /** The number being edited (view parameter), null while creating one. */
    private String e164;
    /** {@link #CREATED} or {@link #SAVED} after a save (view parameter), else null. */
    private String done;
    private boolean existing;
    private String newNumber;
    private Long customerId;
    private boolean cnamLookup;
    private int stirFailedStatus;
    private List<RouteRow> routes = new ArrayList<>();
    private String storedCnam;
    private String cnamName;

    public void load() {
        if (e164 == null || e164.isBlank() || existing) {
            return;
        }
        loadNumber();
        if (existing && (CREATED.equals(done) || SAVED.equals(done))) {
            FieldMessages.info((CREATED.equals(done) ? "Number created: " : "Number saved: ") + e164);
        }
    }

    private void loadNumber() {
        try {
            NumberJson n = service.get(e164);
            e164 = n.e164;
            existing = true;
            customerId = n.customerId;
            cnamLookup = Boolean.TRUE.equals(n.cnamLookup);
            stirFailedStatus = n.stirFailedStatus == null ? 0 : n.stirFailedStatus;
            routes = new ArrayList<>(n.routes.stream().map(r -> new RouteRow(r.type, r.target, r.priority)).toList());
            storedCnam = n.cnamName;
            cnamName = n.cnamName;
        } catch (RuntimeException e) {
            e164 = null;
            if (!FieldMessages.show(FORM, e)) {
                throw e;
            }
        }
    }

    public List<String> getRouteTypes() {
        return Arrays.stream(RouteType.values()).map(RouteType::apiName).toList();
    }

    public void addRoute() {
        if (routes.size() < RouteRules.MAX_ROUTES) {
            routes.add(new RouteRow("host", "", (routes.size() + 1) * 10));
        } else {
            FieldMessages.error(FORM, "routes", "at most " + RouteRules.MAX_ROUTES + " routes per number");
        }
    }

    public void removeRoute(int index) {
        if (index >= 0 && index < routes.size()) {
            routes.remove(index);
        }
    }

    /** Moves a route up; the two rows swap priorities too, so the order shown is the order tried. */
    public void moveUp(int index) {
        swap(index - 1, index);
    }

    public void moveDown(int index) {
        swap(index, index + 1);
    }

    private void swap(int a, int b) {
        if (a < 0 || b >= routes.size()) {
            return;
        }
        RouteRow first = routes.get(a);
        RouteRow second = routes.get(b);
        Integer p = first.getPriority();
        first.setPriority(second.getPriority());
        second.setPriority(p);
        routes.set(a, second);
        routes.set(b, first);
    }

    /** Saves, then shows the saved number by its own URL (redirect-after-POST, messages kept). */
    public String save() {
        NumberJson json = new NumberJson();
        json.e164 = existing ? e164 : newNumber;
        json.customerId = customerId;
        json.cnamLookup = cnamLookup;
        json.stirFailedStatus = stirFailedStatus;
        json.routes = routes.stream().map(r -> {
            RouteJson route = new RouteJson();
            route.type = r.getType();
            route.target = r.getTarget();
            route.priority = r.getPriority();
            return route;
        }).toList();
        try {
            NumberJson saved = existing ? service.update(e164, json) : service.create(json);
            // What happened travels in the URL, not in the flash: the redirected GET can be read
            // before the POST has finished storing its flash, and the message was then lost.
            // Digits only: the navigation handler encodes the query itself, and the '+' is optional.
            return PAGE + "?faces-redirect=true&e164=" + saved.e164.substring(1) + "&done=" + (existing ? SAVED : CREATED);
        } catch (RuntimeException e) {
            if (!FieldMessages.show(FORM, e)) {
                throw e;
            }
            return null;
        }
    }

    public String delete() {
        try {
            service.delete(e164);
            external.getFlash().setKeepMessages(true);
            FieldMessages.info("Number deleted: " + e164);
            return "/admin/numbers.xhtml?faces-redirect=true";
        } catch (RuntimeException e) {
            if (!FieldMessages.show(FORM, e)) {
                throw e;
            }
            return null;
        }
    }

    public void saveCnam() {
        CnamJson json = new CnamJson();
        json.name = cnamName;
        try {
            storedCnam = service.setCnam(e164, json).name;
            cnamName = storedCnam;
            FieldMessages.info("CNAM name stored for " + e164);
        } catch (InvalidFieldException e) {
            // the number itself is refused (toll-free, Canadian, iNum): say so at the name field
            FieldMessages.error(CNAM_FORM, "name", e.getMessage());
        } catch (RuntimeException e) {
            if (!FieldMessages.show(CNAM_FORM, e)) {
                throw e;
            }
        }
    }

    public void clearCnam() {
        try {
            service.clearCnam(e164);
            storedCnam = null;
            cnamName = null;
            FieldMessages.info("CNAM name cleared for " + e164);
        } catch (RuntimeException e) {
            if (!FieldMessages.show(CNAM_FORM, e)) {
                throw e;
            }
        }
    }

    /** Why this number cannot hold a CNAM name, shown before the operator tries. */
    public String getCnamRefusal() {
        if (!existing) {
            return null;
        }
        Optional<String> refusal = service.cnamRefusal(e164);
        return refusal.orElse(null);
    }

    /** The three rules, for the page's explanation. */
    public List<String> getCnamRules() {
        return List.copyOf(CnamEligibility.REFUSALS.values());
    }

    public String getDone() { return done; }
    public void setDone(String done) { this.done = done; }
    public String getE164() { return e164; }
    public void setE164(String e164) { this.e164 = e164; }
    public boolean isExisting() { return existing; }
    public String getNewNumber() { return newNumber; }
    public void setNewNumber(String newNumber) { this.newNumber = newNumber; }
    public Long getCustomerId() { return customerId; }
    public void setCustomerId(Long customerId) { this.customerId = customerId; }
    public boolean isCnamLookup() { return cnamLookup; }
    public void setCnamLookup(boolean cnamLookup) { this.cnamLookup = cnamLookup; }
    public int getStirFailedStatus() { return stirFailedStatus; }
    public void setStirFailedStatus(int stirFailedStatus) { this.stirFailedStatus = stirFailedStatus; }
    public List<RouteRow> getRoutes() { return routes; }
    public String getStoredCnam() { return storedCnam; }
    public String getCnamName() { return cnamName; }
    public void setCnamName(String cnamName) { this.cnamName = cnamName; }
}
