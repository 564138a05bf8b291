package org.opentrunk.core.numbering;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.ShortNumberInfo;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneNumberDesc;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one place that talks to libphonenumber, so that the rest of the package works on
 * {@link E164Number} and the library could be updated or replaced here alone.
 */
final class LibPhoneNumber {

    static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    /** libphonenumber's pseudo-region of non-geographic country codes (+800, +883, ...). */
    private static final String NON_GEOGRAPHIC_REGION = "001";

    /** Every country calling code in the metadata, as digit strings; E.164 makes them prefix-free. */
    private static final Set<String> CALLING_CODES = UTIL.getSupportedCallingCodes().stream()
            .map(String::valueOf).collect(Collectors.toUnmodifiableSet());

    private static final MetadataSource METADATA =
            DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();

    /** Compiled national-number patterns; bounded by the size of the metadata. */
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private LibPhoneNumber() {
    }

    /**
     * {@code number} read as a peer in {@code region} writes it: national format with or without the
     * national (trunk) prefix, or after the region's international call prefix ({@code 011},
     * {@code 00}); empty unless that gives a valid number.
     */
    static Optional<E164Number> fromRegion(String number, String region) {
        try {
            PhoneNumber parsed = UTIL.parse(number, region);
            if (!UTIL.isValidNumber(parsed) || parsed.hasExtension()) {
                return Optional.empty();
            }
            String e164 = UTIL.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164);
            int countryCode = parsed.getCountryCode();
            return Optional.of(new E164Number(countryCode, e164.substring(1 + String.valueOf(countryCode).length())));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** True when {@code digits} is an emergency short code in {@code region} (IC-EMERGENCY). */
    static boolean isEmergency(String digits, String region) {
        return ShortNumberInfo.getInstance().isEmergencyNumber(digits, region);
    }

    /** The regions libphonenumber knows emergency numbers for (every supported region). */
    static Set<String> regions() {
        return UTIL.getSupportedRegions();
    }

    static boolean isKnownCountryCode(int countryCode) {
        return CALLING_CODES.contains(String.valueOf(countryCode));
    }

    /** The country calling code {@code digits} starts with, if any (at most one, E.164 codes being prefix-free). */
    static Optional<Integer> countryCodeOf(String digits) {
        for (int length = 1; length <= 3 && length <= digits.length(); length++) {
            String candidate = digits.substring(0, length);
            if (CALLING_CODES.contains(candidate)) {
                return Optional.of(Integer.valueOf(candidate));
            }
        }
        return Optional.empty();
    }

    /** True when some country calling code starts with {@code digits}: the caller stopped inside it. */
    static boolean isCountryCodePrefix(String digits) {
        return CALLING_CODES.stream().anyMatch(code -> code.startsWith(digits));
    }

    /**
     * libphonenumber's form of a number: the national significant number as a long, with its
     * leading zeros (Italy, Côte d'Ivoire, ...) recorded separately.
     */
    static PhoneNumber toPhoneNumber(int countryCode, String nationalNumber) {
        PhoneNumber number = new PhoneNumber()
                .setCountryCode(countryCode)
                .setNationalNumber(Long.parseLong(nationalNumber));
        int zeros = 0;
        while (zeros < nationalNumber.length() - 1 && nationalNumber.charAt(zeros) == '0') {
            zeros++;
        }
        if (zeros > 0) {
            number.setItalianLeadingZero(true);
            if (zeros > 1) {
                number.setNumberOfLeadingZeros(zeros);
            }
        }
        return number;
    }

    static PhoneNumber toPhoneNumber(E164Number number) {
        return toPhoneNumber(number.countryCode(), number.nationalNumber());
    }

    /**
     * True when more digits could turn {@code nationalNumber} into a number that the numbering
     * plan of {@code countryCode} allows: some number pattern of the plan ran out of input before
     * it could decide ({@link Matcher#hitEnd()}). That tells "incomplete" from "wrong".
     */
    static boolean couldBeCompleted(int countryCode, String nationalNumber) {
        for (PhoneMetadata plan : plansOf(countryCode)) {
            for (PhoneNumberDesc desc : numberDescriptions(plan)) {
                if (desc == null || !desc.hasNationalNumberPattern()) {
                    continue;
                }
                Matcher matcher = PATTERNS
                        .computeIfAbsent(desc.getNationalNumberPattern(), Pattern::compile)
                        .matcher(nationalNumber);
                if (!matcher.matches() && matcher.hitEnd()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<PhoneMetadata> plansOf(int countryCode) {
        List<PhoneMetadata> plans = new ArrayList<>();
        for (String region : UTIL.getRegionCodesForCountryCode(countryCode)) {
            PhoneMetadata plan = NON_GEOGRAPHIC_REGION.equals(region)
                    ? METADATA.getMetadataForNonGeographicalRegion(countryCode)
                    : METADATA.getMetadataForRegion(region);
            if (plan != null) {
                plans.add(plan);
            }
        }
        return plans;
    }

    /** The descriptions libphonenumber itself validates numbers against, plus the overall one. */
    private static List<PhoneNumberDesc> numberDescriptions(PhoneMetadata plan) {
        List<PhoneNumberDesc> descs = new ArrayList<>();
        descs.add(plan.getGeneralDesc());
        descs.add(plan.getFixedLine());
        descs.add(plan.getMobile());
        descs.add(plan.getTollFree());
        descs.add(plan.getPremiumRate());
        descs.add(plan.getSharedCost());
        descs.add(plan.getPersonalNumber());
        descs.add(plan.getVoip());
        descs.add(plan.getPager());
        descs.add(plan.getUan());
        descs.add(plan.getVoicemail());
        return descs;
    }
}
