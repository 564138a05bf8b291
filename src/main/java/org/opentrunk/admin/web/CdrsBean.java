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
import org.opentrunk.store.CdrQuery;
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
    /** The page shown: 0 the newest {@link #SHOWN} rows, 1 the next older ones ... */
    private int page;
    /** Whether a row older than the page's exists. */
    private boolean more;

    public CdrFilter getFilter() {
        return filter;
    }

    public List<String> getDirections() {
        return List.of(CallDirection.OUTBOUND.text(), CallDirection.INBOUND.text());
    }

    public List<CdrJson> getCdrs() {
        if (cdrs == null) {
            load();
        }
        return cdrs == null ? List.of() : cdrs;
    }

    /** "Show": the newest rows of the filter. */
    public void search() {
        page = 0;
        load();
    }

    /** The next {@link #SHOWN} older rows of the same filter. */
    public void older() {
        if (more && (page + 1L) * SHOWN <= CdrQuery.MAX_OFFSET) {
            page++;
        }
        load();
    }

    /** Back towards the newest rows. */
    public void newer() {
        page = Math.max(0, page - 1);
        load();
    }

    private void load() {
        try {
            // one row more than shown: whether an older page exists
            List<CdrJson> found = store.find(filter.query(SHOWN + 1, page * SHOWN)).stream().map(CdrJson::of).toList();
            more = found.size() > SHOWN;
            cdrs = more ? found.subList(0, SHOWN) : found;
            appliedQuery = filter.toQueryString();
        } catch (RuntimeException e) {
            cdrs = List.of();
            more = false;
            if (!FieldMessages.show(FORM, e)) {
                throw e;
            }
        }
    }

    /** Number of the first row shown, from 1; 0 when none is. */
    public int getFirstRow() {
        return getCdrs().isEmpty() ? 0 : page * SHOWN + 1;
    }

    public int getLastRow() {
        return page * SHOWN + getCdrs().size();
    }

    public boolean isOlder() {
        getCdrs();
        return more;
    }

    public boolean isNewer() {
        return page > 0;
    }

    public String getCsvUrl() {
        return external.getRequestContextPath() + "/admin/cdrs.csv" + (appliedQuery.isEmpty() ? "" : "?" + appliedQuery);
    }

    public int getShown() {
        return SHOWN;
    }
}
