/**
 * OpenTrunk behind a SIP front (issue 20, docs/cluster.md): which requests' real source a node
 * believes ({@link org.opentrunk.core.front.TrustedFronts}), how the front names it
 * ({@link org.opentrunk.core.front.SourceHeader}), and the route every request a node originates
 * takes through the front ({@link org.opentrunk.core.front.OutboundProxy}). Plain Java.
 */
package org.opentrunk.core.front;
