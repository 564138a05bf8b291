/**
 * Whether this node can do its work ({@code /health/ready}, and the answer to a load balancer's
 * OPTIONS) and whether the process should be restarted ({@code /health/live}).
 *
 * <p>Each {@link org.opentrunk.health.HealthCheck} looks at one thing (the database, the CDR
 * journal, the SIP listener, the media relay, deadlocks). A {@link org.opentrunk.health.BoundedCheck}
 * runs it on a thread of its own with a time bound, never two runs of one check at once;
 * a {@link org.opentrunk.health.CheckGroup} runs several within one bound and folds their results
 * into a {@link org.opentrunk.health.HealthReport}; a {@link org.opentrunk.health.ReadinessWatch}
 * keeps the latest verdict for the SIP threads, which must never wait for a check. Plain Java:
 * nothing here knows about servlets.
 */
package org.opentrunk.health;
