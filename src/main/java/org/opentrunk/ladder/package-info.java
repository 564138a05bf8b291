/**
 * The SIP ladder of recent calls (issue 26): the messages of each call leg, kept by Call-ID in a
 * bounded ring in memory, with credentials masked. Container-free: the SIP side hands in each
 * message's text once ({@code org.opentrunk.sip.LadderTap}); the admin reads a CDR's two legs back.
 */
package org.opentrunk.ladder;
