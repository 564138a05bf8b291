package org.opentrunk.core.numbering;

import com.google.i18n.phonenumbers.PhoneNumberUtil.ValidationResult;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Optional;

/**
 * Reads a number as a PBX or carrier sends it, in a Request-URI user part (IC-RURI) or a header
 * (IC-CLI-IN, IC-CLI-OUT), and decides whether it is a valid E.164 number (IC-E164).
 *
 * <p>Accepted input: the digits of the number with or without a leading {@code +}
 * ({@code 12066418000} and {@code +12066418000} are the same number, as every number is E.164,
 * domestic ones included), the visual separators {@link #SEPARATORS} that some PBXs put in
 * ({@code +1 (206) 641-8000}), and URI user parameters after {@code ;}
 * ({@code +12066418000;npdi;rn=+12065550000}), which are ignored. Anything else is refused,
 * never guessed at: no letters (vanity numbers), no {@code 00}/{@code 011} international
 * prefixes, no national trunk prefix after the country code ({@code +44 0 20...}).
 *
 * <p>Refusals answer 484 Address Incomplete when there are too few digits (none at all; a country
 * code alone; fewer than the country's shortest number; a number only dialable locally; the start
 * of a valid number that stops early), and 404 when no such number exists (letters, more than 15
 * digits or more than the country allows, an unknown country code, a number the country's plan
 * does not have). Validity is libphonenumber's, except that the whole iNum block +883 510 is
 * accepted ({@link NumberKind#INUM}).
 */
public final class NumberParser {

    /** The visual separators tolerated between digits (RFC 3966 visual separators, and space). */
    public static final String SEPARATORS = " -.()";

    private static final char PLUS = '+';
    private static final char PARAMETER_START = ';';

    private NumberParser() {
    }

    /**
     * Parses {@code userPart}; never throws.
     *
     * @param userPart a Request-URI user part or a header's number; {@code null} reads as empty
     */
    public static ParseResult parse(String userPart) {
        String number = withoutParameters(userPart == null ? "" : userPart);
        StringBuilder digits = new StringBuilder();
        boolean plusSeen = false;
        for (int i = 0; i < number.length(); ) {
            int c = number.codePointAt(i);
            if (c >= '0' && c <= '9') {
                digits.append((char) c);
            } else if (c == PLUS && !plusSeen && digits.length() == 0) {
                plusSeen = true;
            } else if (SEPARATORS.indexOf(c) < 0) {
                return reject(NumberProblem.INVALID_CHARACTER, "number " + Quoting.quote(number) + " contains "
                        + Quoting.describe(c) + "; a number is digits with an optional leading +,"
                        + " and may be spaced with - . ( ) or spaces");
            }
            i += Character.charCount(c);
        }

        if (digits.length() == 0) {
            return reject(NumberProblem.EMPTY, number.isEmpty()
                    ? "number is empty"
                    : "number " + Quoting.quote(number) + " has no digits");
        }
        if (digits.length() > E164Number.MAX_DIGITS) {
            return reject(NumberProblem.TOO_LONG, "number " + Quoting.quote(number) + " has " + digits.length()
                    + " digits; E.164 allows at most " + E164Number.MAX_DIGITS);
        }
        return classify(digits.toString(), number);
    }

    /**
     * Parses a number that a peer in {@code country} sent (IC-COUNTRY): a carrier's caller and
     * called numbers, a customer's caller ID. Without a country, or for a number that starts with
     * {@code +}, this is {@link #parse(String)}. Otherwise a number that is valid in the country's
     * national format ({@code 2065550123} or {@code 12065550123} from a {@code US} peer,
     * {@code 02079460000} from a {@code GB} one) or after its international call prefix
     * ({@code 011...}, {@code 00...}) is read that way, and anything else as E.164 without the
     * {@code +} ({@code 442079460000} stays +44 20 7946 0000).
     *
     * <p>Why national first: a peer with a country sends its own country's numbers in national
     * format as the rule, and foreign ones with an international prefix or {@code +}; the few digit
     * strings that are valid both ways (a 10-digit US number that is also some short foreign
     * number) are far more likely the national number. Never throws.
     */
    public static ParseResult parse(String userPart, Optional<Country> country) {
        ParseResult international = parse(userPart);
        if (country.isEmpty() || userPart == null) {
            return international;
        }
        String number = withoutParameters(userPart).strip();
        if (number.isEmpty() || number.charAt(0) == PLUS || !onlyDigitsAndSeparators(number)) {
            return international;
        }
        return LibPhoneNumber.fromRegion(number, country.get().code())
                .<ParseResult>map(ParseResult.Valid::new)
                .orElse(international);
    }

    /**
     * Parses a number a customer dialled (IC-E164: dialled numbers are E.164 even from a customer
     * with a country). A refusal of a number that is valid in the customer's national format says
     * so, with the E.164 form to dial instead, for the Warning header of the 484/404 and the log.
     */
    public static ParseResult parseDialled(String userPart, Optional<Country> country) {
        ParseResult international = parse(userPart);
        if (international instanceof ParseResult.Rejected rejected && country.isPresent()) {
            ParseResult national = parse(userPart, country);
            if (national instanceof ParseResult.Valid valid) {
                return new ParseResult.Rejected(rejected.problem(), rejected.detail() + "; it is a national number of "
                        + country.get().code() + ": dial it in E.164, " + valid.e164().value());
            }
        }
        return international;
    }

    /**
     * Parses {@code number} for callers where a bad number ends the request, such as the REST
     * API and the admin page.
     *
     * @throws InvalidNumberException with a message naming the number and what is wrong with it
     */
    public static E164Number parseOrThrow(String number) {
        ParseResult result = parse(number);
        if (result instanceof ParseResult.Rejected rejected) {
            throw new InvalidNumberException(rejected);
        }
        return ((ParseResult.Valid) result).e164();
    }

    private static ParseResult classify(String digits, String number) {
        Optional<Integer> found = LibPhoneNumber.countryCodeOf(digits);
        if (found.isEmpty()) {
            return LibPhoneNumber.isCountryCodePrefix(digits)
                    ? reject(NumberProblem.TOO_SHORT, "number " + Quoting.quote(number) + " stops inside a country code")
                    : reject(NumberProblem.UNKNOWN_COUNTRY_CODE, "number " + Quoting.quote(number)
                            + " does not start with a country calling code in use");
        }
        int countryCode = found.get();
        String cc = "+" + countryCode;
        String nationalNumber = digits.substring(cc.length() - 1);
        if (nationalNumber.isEmpty()) {
            return reject(NumberProblem.TOO_SHORT, "number " + Quoting.quote(number) + " is only the country code " + cc);
        }

        E164Number candidate = new E164Number(countryCode, nationalNumber);
        PhoneNumber phoneNumber = LibPhoneNumber.toPhoneNumber(countryCode, nationalNumber);
        if (LibPhoneNumber.UTIL.isValidNumber(phoneNumber)) {
            return new ParseResult.Valid(candidate);
        }
        if (NumberKind.isInumShape(countryCode, nationalNumber)) {
            return inum(candidate, number);
        }

        ValidationResult possibility = LibPhoneNumber.UTIL.isPossibleNumberWithReason(phoneNumber);
        switch (possibility) {
            case TOO_SHORT:
                return reject(NumberProblem.TOO_SHORT, "number " + Quoting.quote(number)
                        + " has too few digits for a number of country code " + cc);
            case IS_POSSIBLE_LOCAL_ONLY:
                return reject(NumberProblem.TOO_SHORT, "number " + Quoting.quote(number) + " is only dialable locally;"
                        + " E.164 needs the full number with area code after " + cc);
            case TOO_LONG:
                return reject(NumberProblem.TOO_LONG, "number " + Quoting.quote(number)
                        + " has too many digits for a number of country code " + cc
                        + trunkPrefixHint(countryCode, nationalNumber));
            default:
                break;
        }
        if (LibPhoneNumber.couldBeCompleted(countryCode, nationalNumber)) {
            return reject(NumberProblem.TOO_SHORT, "number " + Quoting.quote(number)
                    + " is incomplete: it is the start of a number of country code " + cc + " but needs more digits");
        }
        return reject(NumberProblem.INVALID_FOR_COUNTRY, "number " + Quoting.quote(number)
                + " is not a valid number of country code " + cc + trunkPrefixHint(countryCode, nationalNumber));
    }

    /**
     * The whole iNum block is valid whether or not libphonenumber's metadata lists it. (An iNum
     * cannot be too long here: +883 and 12 digits is already E.164's maximum of 15.)
     */
    private static ParseResult inum(E164Number candidate, String number) {
        if (candidate.nationalNumber().length() == NumberKind.INUM_NATIONAL_LENGTH) {
            return new ParseResult.Valid(candidate);
        }
        return reject(NumberProblem.TOO_SHORT, "number " + Quoting.quote(number)
                + " has too few digits for an iNum (+883 510 and 9 digits)");
    }

    /**
     * A common PBX mistake is to keep the national trunk prefix after the country code
     * ({@code +44 0 20...}); the message then names the E.164 form instead of guessing silently.
     */
    private static String trunkPrefixHint(int countryCode, String nationalNumber) {
        if (nationalNumber.length() < 2 || nationalNumber.charAt(0) != '0') {
            return "";
        }
        String withoutZero = nationalNumber.substring(1);
        return LibPhoneNumber.UTIL.isValidNumber(LibPhoneNumber.toPhoneNumber(countryCode, withoutZero))
                ? "; it has a national trunk prefix 0 after the country code, the E.164 form is +"
                        + countryCode + withoutZero
                : "";
    }

    private static boolean onlyDigitsAndSeparators(String number) {
        return number.chars().allMatch(c -> c >= '0' && c <= '9' || SEPARATORS.indexOf(c) >= 0);
    }

    private static String withoutParameters(String userPart) {
        int semicolon = userPart.indexOf(PARAMETER_START);
        return semicolon < 0 ? userPart : userPart.substring(0, semicolon);
    }

    private static ParseResult.Rejected reject(NumberProblem problem, String detail) {
        return new ParseResult.Rejected(problem, detail);
    }
}
