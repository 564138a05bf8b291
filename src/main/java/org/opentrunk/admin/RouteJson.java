package org.opentrunk.admin;

/** One route of a number in the API: {@code {"type":"host","target":"pbx.example.net:5060","priority":10}}. */
public class RouteJson {
    /** host, uri, registration, srv or naptr */
    public String type;
    public String target;
    /** lower first; equal priorities keep the list's order */
    public Integer priority;
}
