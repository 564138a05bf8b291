package org.opentrunk.media;

import java.util.Locale;
import java.util.Optional;

/**
 * The direction attribute of a stream (RFC 3264 section 5.1). Anything but {@link #SENDRECV} on
 * either leg means the call is on hold, when silence is normal and the media timeout does not apply.
 */
public enum MediaDirection {
    SENDRECV,
    SENDONLY,
    RECVONLY,
    INACTIVE;

    /** The direction an {@code a=} attribute name stands for, if it is one of the four. */
    public static Optional<MediaDirection> ofAttribute(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sendrecv" -> Optional.of(SENDRECV);
            case "sendonly" -> Optional.of(SENDONLY);
            case "recvonly" -> Optional.of(RECVONLY);
            case "inactive" -> Optional.of(INACTIVE);
            default -> Optional.empty();
        };
    }

    /** True unless media flows both ways. */
    public boolean isHold() {
        return this != SENDRECV;
    }
}
