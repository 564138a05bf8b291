/**
 * Telephone numbers as OpenTrunk sees them: E.164 parsing of what a PBX or carrier sends
 * (IC-E164), the kinds of number that matter to caller-name rules, and CNAM storage validation
 * (IC-CNAM-OUT). Plain Java over libphonenumber's numbering-plan metadata; nothing here knows
 * about SIP servlets, HTTP or storage, so the SIP path, the REST API and the admin page apply the
 * same rules.
 */
package org.opentrunk.core.numbering;
