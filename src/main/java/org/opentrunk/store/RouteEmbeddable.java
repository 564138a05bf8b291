package org.opentrunk.store;

import javax.persistence.Column;
import javax.persistence.Embeddable;

/** One route of a number, in the number's ordered route list. */
@Embeddable
public class RouteEmbeddable {

    @Column(name = "route_type", nullable = false)
    private String type;
    @Column(nullable = false)
    private String target;
    private int priority;

    protected RouteEmbeddable() {
    }

    public RouteEmbeddable(String type, String target, int priority) {
        this.type = type;
        this.target = target;
        this.priority = priority;
    }

    public String getType() { return type; }
    public String getTarget() { return target; }
    public int getPriority() { return priority; }
}
