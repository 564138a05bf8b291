package org.opentrunk.admin.web;

import org.opentrunk.sip.LiveCalls;
import java.util.Comparator;
import java.util.List;
import javax.enterprise.context.RequestScoped;
import javax.inject.Inject;
import javax.inject.Named;
import org.opentrunk.admin.CallJson;

/** The live calls page: what the API's /calls shows, oldest first; re-rendered by an Ajax refresh. */
@Named
@RequestScoped
public class CallsBean {

    /** How often the page refreshes its table (milliseconds), also read by the page's script. */
    public static final int REFRESH_MILLIS = 5_000;

    @Inject
    private LiveCalls liveCalls;

    private List<CallJson> calls;

    public List<CallJson> getCalls() {
        if (calls == null) {
            long now = System.currentTimeMillis();
            // every node's calls (issue 20), as /api/v1/calls lists them
            calls = liveCalls.everywhere().stream()
                    .sorted(Comparator.comparingLong(c -> c.summary().startedAtMs()))
                    .map(c -> CallJson.of(c, now)).toList();
        }
        return calls;
    }

    public int getRefreshMillis() {
        return REFRESH_MILLIS;
    }

    public void refresh() {
        calls = null;
    }
}
