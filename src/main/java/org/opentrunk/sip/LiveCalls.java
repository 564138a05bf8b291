package org.opentrunk.sip;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.opentrunk.call.Call;
import org.opentrunk.call.CallSummary;

/**
 * The calls in progress, for the API and the admin page. A call enters when its carrier leg is
 * created and leaves when it ends or its application session is destroyed, whichever is first.
 */
public final class LiveCalls {

    private final ConcurrentHashMap<String, Call> calls = new ConcurrentHashMap<>();

    void add(String id, Call call) {
        calls.put(id, call);
    }

    void remove(String id) {
        calls.remove(id);
    }

    /** What each live call looks like now. */
    public List<CallSummary> summaries() {
        Collection<Call> current = calls.values();
        return current.stream().map(Call::summary).toList();
    }
}
