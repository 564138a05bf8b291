package org.opentrunk.admin;

import java.util.List;

/**
 * CDRs as CSV (RFC 4180): a header row, then one row per CDR. Free-text cells that a spreadsheet
 * would run as a formula (starting with = + - @) are prefixed with a quote; numbers keep their '+'.
 * New columns go at the end, so that spreadsheets and scripts reading the older ones by position still work.
 */
public final class CdrCsv {

    public static final String HEADER = "id,direction,customerCallId,carrierCallId,customerId,carrierId,caller,callee,"
            + "start,answer,end,durationSeconds,sipStatus,disconnectCause,xTag,codec,fax,route,dtmfCount,dtmfDigits,emergency,"
            + "attestation,verstat,origid,node";

    private CdrCsv() {
    }

    public static String of(List<CdrJson> cdrs) {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (CdrJson c : cdrs) {
            csv.append(c.id).append(',').append(cell(c.direction)).append(',')
                    .append(cell(c.customerCallId)).append(',').append(cell(c.carrierCallId)).append(',')
                    .append(value(c.customerId)).append(',').append(value(c.carrierId)).append(',')
                    .append(cell(c.caller)).append(',').append(cell(c.callee)).append(',')
                    .append(value(c.start)).append(',').append(value(c.answer)).append(',').append(value(c.end)).append(',')
                    .append(c.durationSeconds).append(',').append(value(c.sipStatus)).append(',')
                    .append(text(c.disconnectCause)).append(',').append(text(c.xTag)).append(',')
                    .append(text(c.codec)).append(',').append(c.fax).append(',').append(text(c.route)).append(',')
                    .append(c.dtmfCount).append(',').append(text(c.dtmfDigits)).append(',')
                    .append(c.emergency).append(',')
                    .append(text(c.attestation)).append(',').append(text(c.verstat)).append(',').append(text(c.origid))
                    .append(',').append(text(c.node))
                    .append("\r\n");
        }
        return csv.toString();
    }

    private static String value(Object v) {
        return v == null ? "" : cell(v.toString());
    }

    /** Free text: defused against formula injection, then quoted as needed. */
    private static String text(String v) {
        if (v != null && !v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        return cell(v);
    }

    private static String cell(String v) {
        if (v == null) {
            return "";
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
