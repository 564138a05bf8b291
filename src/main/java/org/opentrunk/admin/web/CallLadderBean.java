package org.opentrunk.admin.web;

import java.util.ArrayList;
import java.util.List;
import javax.enterprise.context.RequestScoped;
import javax.faces.context.ExternalContext;
import javax.inject.Inject;
import javax.inject.Named;
import org.opentrunk.admin.CdrJson;
import org.opentrunk.admin.LadderMessageJson;
import org.opentrunk.core.cdr.CallDirection;
import org.opentrunk.ladder.CallLadders;
import org.opentrunk.store.CdrEntity;
import org.opentrunk.store.CdrStore;

/**
 * The call page ({@code /admin/call.xhtml?id=}): a CDR and the SIP ladder of its call (issue 26),
 * customer | OpenTrunk | carrier. On outbound calls the customer's leg is the caller's; on inbound
 * calls it is the callee's.
 */
@Named
@RequestScoped
public class CallLadderBean {

    @Inject
    private CdrStore store;
    @Inject
    private CallLadders ladders;
    @Inject
    private ExternalContext external;

    private boolean loaded;
    private String id;
    private CdrJson cdr;
    private List<LadderRow> rows = List.of();

    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        id = external.getRequestParameterMap().get("id");
        long number;
        try {
            number = Long.parseLong(id == null ? "" : id.trim());
        } catch (NumberFormatException e) {
            return;
        }
        CdrEntity entity = store.byId(number);
        if (entity == null) {
            return;
        }
        cdr = CdrJson.of(entity);
        boolean inbound = CallDirection.INBOUND.text().equals(cdr.direction);
        List<LadderRow> built = new ArrayList<>();
        long previous = -1;
        for (LadderMessageJson m : LadderMessageJson.ofCall(entity, ladders)) {
            boolean customerSide = LadderMessageJson.CALLER.equals(m.leg) != inbound;
            built.add(new LadderRow(m, customerSide, previous < 0 ? 0 : Math.max(0, m.timeMs - previous)));
            previous = m.timeMs;
        }
        rows = built;
    }

    /** The id asked for, as given. */
    public String getId() {
        load();
        return id;
    }

    /** The CDR, or null when there is none with that id. */
    public CdrJson getCdr() {
        load();
        return cdr;
    }

    /** The ladder, oldest first; empty when the messages are no longer kept. */
    public List<LadderRow> getRows() {
        load();
        return rows;
    }
}
