package org.opentrunk.admin.web;

import org.opentrunk.sip.LiveCalls;
import java.util.Comparator;
import java.util.List;
import javax.enterprise.context.RequestScoped;
import javax.inject.Inject;
import javax.inject.Named;
import org.opentrunk.admin.CallJson;
import org.opentrunk.call.CallSummary;

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
            calls = liveCalls.summaries().stream()
                    .sorted(Comparator.comparingLong(CallSummary::startedAtMs))
                    .map(s -> CallJson.of(s, now)).toList();
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
