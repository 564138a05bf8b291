package org.opentrunk.admin;

/** A number's stored outbound caller name (IC-CNAM-OUT). */
public class CnamJson {
    public String e164;
    public String name;
}
