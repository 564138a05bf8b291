package org.opentrunk.admin;

/** A blocked destination prefix in the API: {@code {"prefix":"+1900","note":"premium rate"}}. */
public class BlockedPrefixJson {
    public String prefix;
    public String note;
    /** read-only, ISO-8601 */
    public String created;
}
