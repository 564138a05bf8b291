package org.opentrunk.core.provisioning;

import java.util.Locale;
import java.util.regex.Pattern;
import org.opentrunk.core.auth.digest.DigestAlgorithms;
import org.opentrunk.core.config.CallerIdPolicy;
import org.opentrunk.core.numbering.Country;
import org.opentrunk.core.numbering.NumberParser;
import org.opentrunk.core.numbering.ParseResult;

/**
 * The format rules of provisioning fields, one method per kind of value. Each returns the value
 * in canonical form or throws {@link InvalidFieldException} naming the field.
 */
public final class FieldRules {

    /** IC-IPAUTH: the tech prefix is exactly eight digits. */
    public static final int TECH_PREFIX_DIGITS = 8;
    public static final int MAX_NAME_LENGTH = 100;
    /** E.164 numbers have at most 15 digits (ITU-T E.164 §6). */
    public static final int E164_MAX_DIGITS = 15;

    private static final Pattern TECH_PREFIX = Pattern.compile("\\d{" + TECH_PREFIX_DIGITS + "}");
    private static final Pattern E164_PREFIX = Pattern.compile("\\+\\d{1," + E164_MAX_DIGITS + "}");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    /** RFC 1123 host names: labels of letters, digits and inner hyphens. */
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern SIP_USERNAME = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=-]{1,64}");

    private FieldRules() {
    }

    public static String name(String field, String value) {
        String v = required(field, value).trim();
        if (v.isEmpty() || v.length() > MAX_NAME_LENGTH) {
            throw new InvalidFieldException(field, field + " must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        return v;
    }

    public static String techPrefix(String field, String value) {
        String v = required(field, value).trim();
        if (!TECH_PREFIX.matcher(v).matches()) {
            throw new InvalidFieldException(field, field + " must be exactly " + TECH_PREFIX_DIGITS + " digits, not '" + v + "'");
        }
        return v;
    }

    /** A static IPv4 address in dotted-quad form (IC-IPV4: no IPv6). */
    public static String ipv4(String field, String value) {
        String v = required(field, value).trim();
        if (!IPV4.matcher(v).matches()) {
            throw new InvalidFieldException(field, "'" + v + "' is not an IPv4 address (a.b.c.d)");
        }
        return v;
    }

    /** An E.164 prefix such as {@code +1} or {@code +4420}, for allow-lists. */
    public static String e164Prefix(String field, String value) {
        String v = required(field, value).trim();
        if (!E164_PREFIX.matcher(v).matches()) {
            throw new InvalidFieldException(field, "'" + v + "' is not an E.164 prefix ('+' and 1 to 15 digits)");
        }
        return v;
    }

    /** An IPv4 address or a DNS host name, lower-cased. */
    public static String host(String field, String value) {
        String v = required(field, value).trim();
        if (!IPV4.matcher(v).matches() && (!DNS_NAME.matcher(v).matches() || v.matches("[0-9.]+"))) {
            throw new InvalidFieldException(field, "'" + v + "' is neither an IPv4 address nor a host name");
        }
        return v.toLowerCase(Locale.ROOT);
    }

    /** A DNS domain (for SRV and NAPTR routes). */
    public static String domain(String field, String value) {
        String v = required(field, value).trim();
        if (!DNS_NAME.matcher(v).matches() || IPV4.matcher(v).matches() || !v.contains(".")) {
            throw new InvalidFieldException(field, "'" + v + "' is not a domain name");
        }
        return v.toLowerCase(Locale.ROOT);
    }

    public static int port(String field, int value) {
        return range(field, value, 1, 65_535);
    }

    public static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidFieldException(field, field + " must be from " + min + " to " + max + ", not " + value);
        }
        return value;
    }

    /** A SIP digest username: URI-user characters, 1 to 64 of them. */
    public static String sipUsername(String field, String value) {
        String v = required(field, value).trim();
        if (!SIP_USERNAME.matcher(v).matches()) {
            throw new InvalidFieldException(field, field + " must be 1 to 64 characters usable in a SIP URI user part");
        }
        return v;
    }

    /** An ISO 3166-1 alpha-2 country code, upper-cased; null or blank means none (IC-COUNTRY). */
    public static String country(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Country.of(value).code();
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(field, e.getMessage());
        }
    }

    /** {@code any} or {@code own}; null means {@code any} (IC-CALLER-OWNER). */
    public static CallerIdPolicy callerIdPolicy(String field, String value) {
        if (value == null) {
            return CallerIdPolicy.ANY;
        }
        try {
            return CallerIdPolicy.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(field, e.getMessage());
        }
    }

    /** A valid E.164 number, returned in {@code +} form (IC-E164). */
    public static String e164(String field, String value) {
        ParseResult parsed = NumberParser.parse(required(field, value).trim());
        if (parsed instanceof ParseResult.Rejected rejected) {
            throw new InvalidFieldException(field, rejected.detail());
        }
        return parsed.number().orElseThrow().value();
    }

    /** Digest algorithm tokens in order of preference, stored comma-separated; null or empty = the trunk's default. */
    public static String digestAlgorithms(String field, java.util.List<String> tokens) {
        if (tokens == null || tokens.isEmpty()) {
            return null;
        }
        try {
            return DigestAlgorithms.format(DigestAlgorithms.parse(tokens));
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(field, e.getMessage());
        }
    }

    public static String required(String field, String value) {
        if (value == null) {
            throw new InvalidFieldException(field, field + " is required");
        }
        return value;
    }
}
