package org.opentrunk.media;

/**
 * The UDP ports the relay may bind ({@code OT_RTP_PORTS}), both ends included. Ports are used in
 * pairs, RTP on an even port and RTCP on the next odd one (RFC 3550 section 11), so the usable
 * pairs are the even ports {@code p} with {@code first <= p} and {@code p + 1 <= last}.
 *
 * @param first lowest port, 1024 to 65535
 * @param last  highest port, at least {@code first + 1} and room for one pair
 */
public record PortRange(int first, int last) {

    /** Lowest port accepted: below are the privileged ports, never media. */
    public static final int MIN_PORT = 1024;

    /** Highest UDP port. */
    public static final int MAX_PORT = 65535;

    /** The default range, {@code 20000-29999}: 5000 pairs, 2500 anchored calls. */
    public static final PortRange DEFAULT = new PortRange(20000, 29999);

    public PortRange {
        if (first < MIN_PORT || last > MAX_PORT || first > last) {
            throw new IllegalArgumentException("a port range is " + MIN_PORT + " <= first <= last <= " + MAX_PORT
                    + ", got " + first + "-" + last);
        }
        if (firstPair(first) + 1 > last) {
            throw new IllegalArgumentException("the port range " + first + "-" + last
                    + " holds no even/odd RTP/RTCP pair");
        }
    }

    /**
     * The range written {@code <first>-<last>} (spaces allowed around the dash), as
     * {@code OT_RTP_PORTS} holds it.
     *
     * @throws IllegalArgumentException when it is not that or not a valid range
     */
    public static PortRange parse(String text) {
        String[] parts = text == null ? new String[0] : text.strip().split("\\s*-\\s*", -1);
        if (parts.length != 2 || !isPortNumber(parts[0]) || !isPortNumber(parts[1])) {
            throw new IllegalArgumentException("expected <first>-<last>, e.g. 20000-29999");
        }
        return new PortRange(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    private static boolean isPortNumber(String s) {
        return !s.isEmpty() && s.length() <= 5 && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static int firstPair(int first) {
        return (first & 1) == 0 ? first : first + 1;
    }

    /** The RTP port of the lowest pair. */
    public int firstRtpPort() {
        return firstPair(first);
    }

    /** How many RTP/RTCP pairs fit: the most media legs the relay can carry at once. */
    public int pairs() {
        return (last - firstRtpPort() + 1) / 2;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
