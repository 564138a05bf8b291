package org.opentrunk.core.numbering;

import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Kinds of number that the caller-name rules treat specially (IC-CNAM-OUT). A number may be of
 * none, one or (in principle) several kinds.
 */
public enum NumberKind {

    /**
     * Free to the caller, paid by the called party: NANP 800, 833, 844, 855, 866, 877, 888,
     * UK 0800 and 0808, the international +800 numbers, and whatever else libphonenumber's metadata
     * classifies as {@link PhoneNumberType#TOLL_FREE}.
     */
    TOLL_FREE,

    /** A NANP ({@code +1}) number in a Canadian area code, by libphonenumber's region {@code CA}. */
    CANADIAN,

    /**
     * An iNum: a global number under the ITU's "International Networks" code +883 in the block
     * +883 510 (see {@link #INUM_COUNTRY_CODE}, {@link #INUM_PREFIX}).
     */
    INUM;

    /** Country code of the ITU "International Networks" numbers that iNums are part of. */
    public static final int INUM_COUNTRY_CODE = 883;
    /** The block of +883 that iNums are assigned from: every +883 510 number is an iNum. */
    public static final String INUM_PREFIX = "510";
    /**
     * Length of the national number of an iNum (+883 510 followed by 9 digits: 15 digits in all).
     * libphonenumber's metadata accepts only part of that block ({@code +883 5100 ...}) as valid;
     * {@link NumberParser} accepts the whole block because carriers assign numbers from all of it.
     */
    public static final int INUM_NATIONAL_LENGTH = 12;

    private static final int NANP_COUNTRY_CODE = 1;
    private static final String CANADA = "CA";

    /** True when {@code number} is of this kind. */
    public boolean matches(E164Number number) {
        Objects.requireNonNull(number, "number");
        return switch (this) {
            case TOLL_FREE -> LibPhoneNumber.UTIL.getNumberType(LibPhoneNumber.toPhoneNumber(number))
                    == PhoneNumberType.TOLL_FREE;
            case CANADIAN -> number.countryCode() == NANP_COUNTRY_CODE
                    && CANADA.equals(LibPhoneNumber.UTIL.getRegionCodeForNumber(LibPhoneNumber.toPhoneNumber(number)));
            case INUM -> isInumShape(number.countryCode(), number.nationalNumber());
        };
    }

    /** Every kind {@code number} is of; empty for an ordinary number. */
    public static Set<NumberKind> of(E164Number number) {
        Set<NumberKind> kinds = EnumSet.noneOf(NumberKind.class);
        for (NumberKind kind : values()) {
            if (kind.matches(number)) {
                kinds.add(kind);
            }
        }
        return kinds;
    }

    public static boolean isTollFree(E164Number number) {
        return TOLL_FREE.matches(number);
    }

    public static boolean isCanadian(E164Number number) {
        return CANADIAN.matches(number);
    }

    public static boolean isInum(E164Number number) {
        return INUM.matches(number);
    }

    static boolean isInumShape(int countryCode, String nationalNumber) {
        return countryCode == INUM_COUNTRY_CODE && nationalNumber.startsWith(INUM_PREFIX);
    }
}
