package org.opentrunk.health;

/**
 * Looks at one part of the node. May block (a database query, a socket): it is always run by a
 * {@link BoundedCheck}, which bounds how long anyone waits for it.
 */
public interface HealthCheck {

    /** The name in the health JSON; stable, operators alert on it. */
    String name();

    /** What the check finds now; an exception counts as down, its message as the detail. */
    CheckResult check() throws Exception;
}
