/**
 * The security log (issue 25): one line per security event in a stable format for fail2ban
 * ({@link org.opentrunk.core.securitylog.SecurityLog}). Plain Java, no container imports.
 */
package org.opentrunk.core.securitylog;
