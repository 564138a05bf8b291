package org.opentrunk.store;

import java.util.Optional;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Table;
import org.opentrunk.core.config.Transport;
import org.opentrunk.core.registrar.Binding;
import org.opentrunk.core.registrar.QValue;

/** A registrar binding as stored: one row per contact a customer has registered. */
@Entity
@Table(name = "registration")
@IdClass(RegistrationKey.class)
public class RegistrationEntity {

    @Id
    @Column(name = "customer_id")
    private long customerId;
    @Id
    @Column(name = "contact_uri")
    private String contactUri;
    @Column(name = "source_address", nullable = false)
    private String sourceAddress;
    @Column(name = "source_port", nullable = false)
    private int sourcePort;
    @Column(nullable = false)
    private String transport;
    @Column(name = "expires_at_ms", nullable = false)
    private long expiresAtMs;
    @Column(name = "call_id", nullable = false)
    private String callId;
    @Column(nullable = false)
    private long cseq;
    @Column(name = "q_thousandths")
    private Integer qThousandths;
    @Column(name = "user_agent")
    private String userAgent;
    /** The Path values (RFC 3327), one per line; null for none (V12). */
    @Column(name = "path")
    private String path;

    /** Between Path values in the column: a Path value has no line breaks (Binding.isPath). */
    private static final String PATH_SEPARATOR = "\n";

    protected RegistrationEntity() {
    }

    /** The row of a binding. */
    public static RegistrationEntity of(Binding b) {
        RegistrationEntity e = new RegistrationEntity();
        e.customerId = b.customerId();
        e.contactUri = b.contactUri();
        e.sourceAddress = b.sourceAddress();
        e.sourcePort = b.sourcePort();
        e.transport = b.transport().uriParameter();
        e.expiresAtMs = b.expiresAtMs();
        e.callId = b.callId();
        e.cseq = b.cseq();
        e.qThousandths = b.q().map(QValue::thousandths).orElse(null);
        e.userAgent = b.userAgent().orElse(null);
        e.path = b.path().isEmpty() ? null : String.join(PATH_SEPARATOR, b.path());
        return e;
    }

    /** The binding of this row; throws IllegalArgumentException when the row breaks a binding's rules. */
    public Binding toBinding() {
        return new Binding(customerId, contactUri, sourceAddress, sourcePort, Transport.parse(transport), expiresAtMs,
                callId, cseq, Optional.ofNullable(qThousandths).map(QValue::new), Optional.ofNullable(userAgent),
                path == null || path.isEmpty() ? java.util.List.of() : java.util.List.of(path.split(PATH_SEPARATOR)));
    }

    public long getCustomerId() { return customerId; }
    public String getContactUri() { return contactUri; }
    public long getExpiresAtMs() { return expiresAtMs; }
}
