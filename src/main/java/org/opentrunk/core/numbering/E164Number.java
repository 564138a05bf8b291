package org.opentrunk.core.numbering;

/**
 * A telephone number in E.164 form (IC-E164), the only form OpenTrunk routes, stores and emits.
 * Rendered with a leading {@code +}: {@code +12066418000}.
 *
 * <p>Obtain one from {@link NumberParser}, which decides whether a number is valid for its
 * country. The constructor checks only the shape (a country code in use, digits, at most
 * {@value #MAX_DIGITS} of them), so a number stored earlier still loads after a metadata update
 * has changed libphonenumber's opinion of it, and the split into country code and national
 * number stays canonical (country codes are prefix-free).
 *
 * @param countryCode    the country calling code, e.g. {@code 1}, {@code 44}, {@code 883}
 * @param nationalNumber the national significant number, digits only, leading zeros kept
 *                       (Italy: {@code +39 06...} has national number {@code 06...})
 */
public record E164Number(int countryCode, String nationalNumber) {

    /** ITU-T E.164 section 6.1: at most 15 digits, country code included. */
    public static final int MAX_DIGITS = 15;

    public E164Number {
        if (!LibPhoneNumber.isKnownCountryCode(countryCode)) {
            throw new IllegalArgumentException("+" + countryCode + " is not a country calling code in use");
        }
        if (nationalNumber == null || nationalNumber.isEmpty() || !isDigits(nationalNumber)) {
            throw new IllegalArgumentException("national number must be digits, got " + nationalNumber);
        }
        int digits = String.valueOf(countryCode).length() + nationalNumber.length();
        if (digits > MAX_DIGITS) {
            throw new IllegalArgumentException("+" + countryCode + nationalNumber + " has " + digits
                    + " digits; E.164 allows at most " + MAX_DIGITS);
        }
    }

    /** The number with its leading {@code +}, e.g. {@code +12066418000}: the user part OpenTrunk emits. */
    public String value() {
        return "+" + digits();
    }

    /**
     * True when this number falls under {@code e164Prefix}, as in an allow-list or a route table:
     * {@code +1} (NANP), {@code +4420} (London). The {@code +} is optional, as for numbers.
     *
     * @throws IllegalArgumentException when the prefix is not 1 to {@value #MAX_DIGITS} digits
     */
    public boolean startsWith(String e164Prefix) {
        String prefix = e164Prefix != null && e164Prefix.startsWith("+") ? e164Prefix.substring(1) : e164Prefix;
        if (prefix == null || prefix.isEmpty() || prefix.length() > MAX_DIGITS || !isDigits(prefix)) {
            throw new IllegalArgumentException("an E.164 prefix is + and 1 to " + MAX_DIGITS
                    + " digits, got " + e164Prefix);
        }
        return digits().startsWith(prefix);
    }

    @Override
    public String toString() {
        return value();
    }

    private String digits() {
        return countryCode + nationalNumber;
    }

    static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
