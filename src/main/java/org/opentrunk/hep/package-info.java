/**
 * HEPv3 export (issue 26): the SIP messages the call ladder captures, sent as they happen to a
 * Homer/sipcapture collector over UDP ({@code OT_HEP_ADDRESS}). Plain Java; the SIP side hands
 * messages over through {@link org.opentrunk.hep.HepExport#offer}, which never blocks.
 */
package org.opentrunk.hep;
