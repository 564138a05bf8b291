package org.opentrunk.admin.web;

import java.io.Serializable;

/** One route as edited on the number page, before the service validates it. */
public class RouteRow implements Serializable {

    private static final long serialVersionUID = 1L;

    private String type = "host";
    private String target;
    private Integer priority;

    public RouteRow() {
    }

    RouteRow(String type, String target, Integer priority) {
        this.type = type;
        this.target = target;
        this.priority = priority;
    }

    public String getType() { return type; }
    public void setType(String type) { this.type = type; }
    public String getTarget() { return target; }
    public void setTarget(String target) { this.target = target; }
    public Integer getPriority() { return priority; }
    public void setPriority(Integer priority) { this.priority = priority; }
}
