package org.opentrunk.admin.web;

import java.io.Serializable;
import java.util.List;
import javax.faces.context.ExternalContext;
import javax.faces.view.ViewScoped;
import javax.inject.Inject;
import javax.inject.Named;
import org.opentrunk.admin.CdrFilter;
import org.opentrunk.admin.CdrJson;
import org.opentrunk.core.cdr.CallDirection;
import org.opentrunk.store.CdrStore;

/** The CDR page: a filter, the newest matching records, and a CSV link for the same filter. */
@Named
@ViewScoped
public class CdrsBean implements Serializable {

    private static final long serialVersionUID = 1L;
    static final String FORM = "filter";
    /** Rows shown on the page; the CSV download has up to CdrQuery.MAX_LIMIT. */
    public static final int SHOWN = 200;

    @Inject
    private CdrStore store;
    @Inject
    private ExternalContext external;

    private final CdrFilter filter = new CdrFilter();
    /** The filter the table and the CSV link show, as query parameters: the last one that was valid. */
    private String appliedQuery = "";
    private transient List<CdrJson> cdrs;

    public CdrFilter getFilter() {
        return filter;
    }

    public List<String> getDirections() {
        return List.of(CallDirection.OUTBOUND.text(), CallDirection.INBOUND.text());
    }

    public List<CdrJson> getCdrs() {
        if (cdrs == null) {
            search();
        }
        return cdrs == null ? List.of() : cdrs;
    }

    public void search() {
        try {
            cdrs = store.find(filter.query(SHOWN)).stream().map(CdrJson::of).toList();
            appliedQuery = filter.toQueryString();
        } catch (RuntimeException e) {
            cdrs = List.of();
            if (!FieldMessages.show(FORM, e)) {
                throw e;
            }
        }
    }

    public String getCsvUrl() {
        return external.getRequestContextPath() + "/admin/cdrs.csv" + (appliedQuery.isEmpty() ? "" : "?" + appliedQuery);
    }

    public int getShown() {
        return SHOWN;
    }
}
