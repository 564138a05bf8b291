package org.opentrunk.store;

import java.io.Serializable;
import java.util.Objects;

/** The primary key of {@link RegistrationEntity}: a customer's contact URI. */
public class RegistrationKey implements Serializable {
    private static final long serialVersionUID = 1L;

    private long customerId;
    private String contactUri;

    public RegistrationKey() {
    }

    public RegistrationKey(long customerId, String contactUri) {
        this.customerId = customerId;
        this.contactUri = contactUri;
    }

    public long getCustomerId() { return customerId; }
    public String getContactUri() { return contactUri; }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegistrationKey other && customerId == other.customerId
                && Objects.equals(contactUri, other.contactUri);
    }

    @Override
    public int hashCode() {
        return Objects.hash(customerId, contactUri);
    }
}
