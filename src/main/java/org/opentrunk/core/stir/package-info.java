/**
 * STIR/SHAKEN (IC-STIR): PASSporTs (RFC 8225) of type {@code shaken} (RFC 8588) carried in the
 * SIP {@code Identity} header (RFC 8224). Signing of outbound calls with the operator's key and
 * verification of inbound ones against the operator's trust anchors; plain Java, the JWS itself is
 * Nimbus JOSE+JWT's.
 */
package org.opentrunk.core.stir;
