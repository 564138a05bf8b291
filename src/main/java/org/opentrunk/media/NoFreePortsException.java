package org.opentrunk.media;

/** Every port pair of the configured range is in use or could not be bound: the media module is full. */
public final class NoFreePortsException extends MediaException {
    private static final long serialVersionUID = 1L;

    /** 503 Service Unavailable: a temporary overload; the caller may try another trunk or later. */
    public static final int SIP_STATUS = 503;

    public NoFreePortsException(PortRange range, int inUse) {
        super("no free RTP port pair in " + range + " (" + inUse + " pairs in use)");
    }

    @Override
    public int sipStatus() {
        return SIP_STATUS;
    }
}
