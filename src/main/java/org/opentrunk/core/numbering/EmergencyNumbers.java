package org.opentrunk.core.numbering;

import java.util.Optional;

/**
 * Emergency short codes (IC-EMERGENCY): {@code 911} in the US and Canada, {@code 112} in the EU,
 * {@code 999} in the UK, {@code 000} in Australia ..., as libphonenumber's short-number metadata
 * lists them per country. They are recognised before any E.164 check, so that no number rule or
 * limit refuses an emergency call by accident.
 *
 * <p>A customer with a country dials its country's codes. A customer without one gets every
 * country's: no emergency code is a valid E.164 number (they are two to four digits, E.164
 * numbers are longer), so recognising one can only turn a certain refusal into an emergency call,
 * which is the safer mistake.
 */
public final class EmergencyNumbers {

    /** Longest emergency short code any country uses; longer input is no emergency code. */
    public static final int MAX_DIGITS = 6;

    private EmergencyNumbers() {
    }

    /**
     * The emergency short code {@code dialled} is for {@code country} (or any country when it has
     * none), as digits; empty for everything else. URI user parameters after {@code ;} are
     * ignored; a leading {@code +} makes it an E.164 attempt, never a short code.
     */
    public static Optional<String> match(String dialled, Optional<Country> country) {
        if (dialled == null) {
            return Optional.empty();
        }
        int semicolon = dialled.indexOf(';');
        String digits = (semicolon < 0 ? dialled : dialled.substring(0, semicolon)).strip();
        if (digits.isEmpty() || digits.length() > MAX_DIGITS || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        if (country.isPresent()) {
            return LibPhoneNumber.isEmergency(digits, country.get().code()) ? Optional.of(digits) : Optional.empty();
        }
        return LibPhoneNumber.regions().stream().anyMatch(region -> LibPhoneNumber.isEmergency(digits, region))
                ? Optional.of(digits) : Optional.empty();
    }
}
