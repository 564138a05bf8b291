package org.opentrunk.core.callerid;

/** Which received header the caller's number came from, in the order they are tried (IC-CLI-OUT). */
public enum IdentitySource {
    P_ASSERTED_IDENTITY("P-Asserted-Identity"),
    REMOTE_PARTY_ID("Remote-Party-ID"),
    FROM("From"),
    /** No header carried a valid number. */
    NONE("none");

    private final String headerName;

    IdentitySource(String headerName) {
        this.headerName = headerName;
    }

    public String headerName() {
        return headerName;
    }
}
