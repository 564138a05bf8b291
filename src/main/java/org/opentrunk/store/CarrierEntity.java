package org.opentrunk.store;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.SequenceGenerator;
import javax.persistence.Table;
import javax.persistence.Version;

/** An upstream carrier gateway as stored. */
@Entity
@Table(name = "carrier")
public class CarrierEntity {

    @Id
    @SequenceGenerator(name = "carrier_ids", sequenceName = "carrier_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "carrier_ids")
    private Long id;
    @Column(nullable = false, unique = true)
    private String name;
    @Column(nullable = false)
    private String host;
    private int port;
    @Column(nullable = false)
    private String transport;
    private int priority;
    private int weight;
    private boolean enabled;
    /** ISO 3166-1 alpha-2, or null (IC-COUNTRY) */
    private String country;
    /** takes emergency calls (IC-EMERGENCY) */
    private boolean emergency;
    /** signs outbound calls with STIR/SHAKEN (IC-STIR) */
    @Column(name = "stir_signing", nullable = false)
    private boolean signing;
    /** what is accepted of INVITEs from its address (issue 25) */
    @javax.persistence.Embedded
    private CarrierInboundColumns inbound = new CarrierInboundColumns();
    /** CA certificates (PEM) its TLS certificate is checked against besides the JVM's (IC-TLS); null = none */
    @Column(name = "ca_pem", length = 16384)
    private String caPem;
    @Version
    private long version;

    public Long getId() { return id; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getHost() { return host; }
    public void setHost(String host) { this.host = host; }
    public int getPort() { return port; }
    public void setPort(int port) { this.port = port; }
    public String getTransport() { return transport; }
    public void setTransport(String transport) { this.transport = transport; }
    public int getPriority() { return priority; }
    public void setPriority(int priority) { this.priority = priority; }
    public int getWeight() { return weight; }
    public void setWeight(int weight) { this.weight = weight; }
    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public String getCountry() { return country; }
    public void setCountry(String country) { this.country = country; }
    public boolean isEmergency() { return emergency; }
    public void setEmergency(boolean emergency) { this.emergency = emergency; }
    public String getCaPem() { return caPem; }
    public void setCaPem(String caPem) { this.caPem = caPem; }
    public boolean isSigning() { return signing; }
    public void setSigning(boolean signing) { this.signing = signing; }
    public CarrierInboundColumns getInbound() { return inbound != null ? inbound : (inbound = new CarrierInboundColumns()); }
}
