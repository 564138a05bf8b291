package org.opentrunk.core.registrar;

import java.util.Optional;

/**
 * A Contact's {@code q} parameter, the registering UA's relative preference among its contacts
 * (RFC 3261 section 20.10, grammar in section 25.1: {@code 0}, {@code 0.5}, {@code 1.000}), held
 * exactly as thousandths so that it compares and stores without rounding.
 *
 * @param thousandths 0 (least preferred) to 1000 (most preferred)
 */
public record QValue(int thousandths) implements Comparable<QValue> {

    public static final int MAX_THOUSANDTHS = 1000;

    public QValue {
        if (thousandths < 0 || thousandths > MAX_THOUSANDTHS) {
            throw new IllegalArgumentException("q must be 0 to 1, not " + thousandths + "/1000");
        }
    }

    /** Reads {@code 0[.ddd]} or {@code 1[.000]}; anything else, including {@code .5} or {@code 1.5}, is empty. */
    public static Optional<QValue> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > "0.000".length()) {
            return Optional.empty();
        }
        char whole = text.charAt(0);
        if (whole != '0' && whole != '1') {
            return Optional.empty();
        }
        int value = (whole - '0') * MAX_THOUSANDTHS;
        if (text.length() > 1) {
            if (text.charAt(1) != '.') {
                return Optional.empty();
            }
            String fraction = text.substring(2);
            int scale = 100;
            for (int i = 0; i < fraction.length(); i++, scale /= 10) {
                char digit = fraction.charAt(i);
                if (digit < '0' || digit > '9') {
                    return Optional.empty();
                }
                value += (digit - '0') * scale;
            }
        }
        return value > MAX_THOUSANDTHS ? Optional.empty() : Optional.of(new QValue(value));
    }

    /** The shortest form of the grammar: {@code 0}, {@code 0.5}, {@code 0.125}, {@code 1}. */
    public String render() {
        if (thousandths == MAX_THOUSANDTHS) {
            return "1";
        }
        if (thousandths == 0) {
            return "0";
        }
        String digits = String.format("%03d", thousandths);
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        return "0." + digits.substring(0, end);
    }

    @Override
    public int compareTo(QValue other) {
        return Integer.compare(thousandths, other.thousandths);
    }

    @Override
    public String toString() {
        return render();
    }
}
