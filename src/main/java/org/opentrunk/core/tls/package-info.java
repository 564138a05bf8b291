/**
 * The certificate OpenTrunk's TLS listeners serve (SIP over TLS, IC-TLS; HTTPS) and the carrier
 * CAs it trusts, kept in the one PKCS12 file Liberty reads (tls.xml): PEM files read, a
 * self-signed certificate made when there are none, the file rewritten only when its content
 * changes (Liberty polls it and reloads without a restart).
 */
package org.opentrunk.core.tls;
