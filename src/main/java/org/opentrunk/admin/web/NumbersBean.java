package org.opentrunk.admin.web;

import java.io.Serializable;
import java.util.List;
import javax.faces.view.ViewScoped;
import javax.inject.Inject;
import javax.inject.Named;
import org.opentrunk.admin.NumberJson;
import org.opentrunk.admin.NumberService;

/** The numbers list: search by digits and by customer, a page at a time. */
@Named
@ViewScoped
public class NumbersBean implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final int PAGE_SIZE = 25;

    @Inject
    private NumberService service;

    private String search;
    private Long customerId;
    private int offset;
    private transient List<NumberJson> page;
    private transient boolean more;

    public List<NumberJson> getNumbers() {
        if (page == null) {
            List<NumberJson> found = service.list(search, customerId, offset, PAGE_SIZE + 1);
            more = found.size() > PAGE_SIZE;
            page = more ? found.subList(0, PAGE_SIZE) : found;
        }
        return page;
    }

    public void find() {
        offset = 0;
        page = null;
    }

    public void next() {
        offset += PAGE_SIZE;
        page = null;
    }

    public void previous() {
        offset = Math.max(0, offset - PAGE_SIZE);
        page = null;
    }

    public boolean isMore() {
        getNumbers();
        return more;
    }

    public boolean isFirstPage() {
        return offset == 0;
    }

    public int getFirstShown() {
        return offset + 1;
    }

    public String getSearch() { return search; }
    public void setSearch(String search) { this.search = search; }
    public Long getCustomerId() { return customerId; }
    public void setCustomerId(Long customerId) { this.customerId = customerId; }
}
