package org.opentrunk.admin;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.opentrunk.core.cdr.CallDirection;
import org.opentrunk.core.provisioning.InvalidFieldException;
import org.opentrunk.store.CdrQuery;

/**
 * A CDR filter as the operator types it (API query parameters, the CDR page's fields, the CSV
 * link), turned into a {@link CdrQuery} by one set of rules. Blank fields do not filter. Times are
 * ISO-8601 instants, or a date and time without zone (a browser's datetime-local field), read as UTC.
 */
public final class CdrFilter implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    public static final int MIN_SIP_STATUS = 100;
    public static final int MAX_SIP_STATUS = 699;

    private String since;
    private String until;
    private String number;
    private String customerId;
    private String direction;
    private String status;
    /** "true": emergency calls only, "false": all but them (IC-EMERGENCY). */
    private String emergency;

    public CdrQuery query(int limit) {
        return query(limit, 0);
    }

    /** The query for {@code limit} rows after skipping {@code offset} (an older page). */
    public CdrQuery query(int limit, int offset) {
        if (limit < 1 || limit > CdrQuery.MAX_LIMIT) {
            throw new InvalidFieldException("limit", "limit must be from 1 to " + CdrQuery.MAX_LIMIT);
        }
        if (offset < 0 || offset > CdrQuery.MAX_OFFSET) {
            throw new InvalidFieldException("offset", "offset must be from 0 to " + CdrQuery.MAX_OFFSET
                    + "; narrow the time range instead");
        }
        return new CdrQuery(instant("since", since), instant("until", until),
                blank(number) ? null : NumberService.canonical("number", number),
                integer("customerId", customerId, 1, Long.MAX_VALUE), direction(), status(), emergency(), limit, offset);
    }

    /** The filter as URL query parameters (without '?'), blank fields left out. */
    public String toQueryString() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("since", since);
        params.put("until", until);
        params.put("number", number);
        params.put("customerId", customerId);
        params.put("direction", direction);
        params.put("status", status);
        params.put("emergency", emergency);
        return params.entrySet().stream().filter(e -> !blank(e.getValue()))
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue().trim(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private String direction() {
        if (blank(direction)) {
            return null;
        }
        for (CallDirection d : CallDirection.values()) {
            if (d.text().equalsIgnoreCase(direction.trim())) {
                return d.text();
            }
        }
        throw new InvalidFieldException("direction", "direction must be outbound or inbound");
    }

    private Integer status() {
        Long s = integer("status", status, MIN_SIP_STATUS, MAX_SIP_STATUS);
        return s == null ? null : s.intValue();
    }

    private Boolean emergency() {
        if (blank(emergency)) {
            return null;
        }
        // strict, unlike Boolean.parseBoolean: a typo must not quietly list the non-emergency calls
        return switch (emergency.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new InvalidFieldException("emergency", "emergency must be true or false");
        };
    }

    private static Long integer(String field, String text, long min, long max) {
        if (blank(text)) {
            return null;
        }
        try {
            long v = Long.parseLong(text.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidFieldException(field, field + " must be a number from " + min + " to " + max);
    }

    private static Long instant(String field, String text) {
        if (blank(text)) {
            return null;
        }
        String t = text.trim();
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new InvalidFieldException(field, field + " must be a time such as 2026-11-26T10:00:00Z");
            }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    public String getSince() { return since; }
    public void setSince(String since) { this.since = since; }
    public String getUntil() { return until; }
    public void setUntil(String until) { this.until = until; }
    public String getNumber() { return number; }
    public void setNumber(String number) { this.number = number; }
    public String getCustomerId() { return customerId; }
    public void setCustomerId(String customerId) { this.customerId = customerId; }
    public String getDirection() { return direction; }
    public void setDirection(String direction) { this.direction = direction; }
    public String getStatus() { return status; }
    public void setStatus(String status) { this.status = status; }
    public String getEmergency() { return emergency; }
    public void setEmergency(String emergency) { this.emergency = emergency; }
}
