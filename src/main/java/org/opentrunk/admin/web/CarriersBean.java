package org.opentrunk.admin.web;

import java.io.Serializable;
import java.util.List;
import javax.faces.view.ViewScoped;
import javax.inject.Inject;
import javax.inject.Named;
import org.opentrunk.admin.CarrierJson;
import org.opentrunk.admin.CarrierService;
import org.opentrunk.core.config.Carrier;
import org.opentrunk.core.config.ProvisioningDefaults;

/** The carriers page: the list with each carrier's probe state, and one form for create/edit. */
@Named
@ViewScoped
public class CarriersBean implements Serializable {

    private static final long serialVersionUID = 1L;
    static final String FORM = "carrier";
    public static final List<String> TRANSPORTS = List.of("udp", "tcp", "tls");

    @Inject
    private CarrierService service;

    private Long editing;
    private String name;
    private String host;
    private Integer port = Carrier.DEFAULT_SIP_PORT;
    private String transport = "udp";
    private Integer priority = ProvisioningDefaults.CARRIER_PRIORITY;
    private Integer weight = ProvisioningDefaults.CARRIER_WEIGHT;
    private boolean enabled = true;
    private String country;
    private boolean emergency;
    private boolean signing;
    private final CarrierInboundForm inbound = new CarrierInboundForm();
    /** IC-TLS: kept as the API has it (set through the API), so that saving the form does not drop it. */
    private String caPem;
    private transient List<CarrierJson> carriers;

    public List<CarrierJson> getCarriers() {
        if (carriers == null) {
            carriers = service.list();
        }
        return carriers;
    }

    public List<String> getTransports() {
        return TRANSPORTS;
    }

    public void edit(long id) {
        CarrierJson c = service.get(id);
        editing = c.id;
        name = c.name;
        host = c.host;
        port = c.port;
        transport = c.transport;
        priority = c.priority;
        weight = c.weight;
        enabled = Boolean.TRUE.equals(c.enabled);
        country = c.country;
        emergency = Boolean.TRUE.equals(c.emergency);
        signing = Boolean.TRUE.equals(c.signing);
        inbound.load(c);
        caPem = c.caPem;
    }

    public void startNew() {
        editing = null;
        name = host = null;
        port = Carrier.DEFAULT_SIP_PORT;
        transport = "udp";
        priority = ProvisioningDefaults.CARRIER_PRIORITY;
        weight = ProvisioningDefaults.CARRIER_WEIGHT;
        enabled = true;
        country = null;
        emergency = false;
        signing = false;
        inbound.reset();
        caPem = null;
    }

    public void save() {
        CarrierJson json = new CarrierJson();
        json.name = name;
        json.host = host;
        json.port = port;
        json.transport = transport;
        json.priority = priority;
        json.weight = weight;
        json.enabled = enabled;
        json.country = country;
        json.emergency = emergency;
        json.signing = signing;
        inbound.store(json);
        json.caPem = caPem;
        FieldMessages.attempt(FORM, () -> {
            CarrierJson saved = editing == null ? service.create(json) : service.update(editing, json);
            FieldMessages.info((editing == null ? "Carrier created: " : "Carrier saved: ") + saved.name);
            carriers = null;
            edit(saved.id);
        });
    }

    public void delete(long id) {
        FieldMessages.attempt(FORM, () -> {
            service.delete(id);
            FieldMessages.info("Carrier deleted.");
            carriers = null;
            if (Long.valueOf(id).equals(editing)) {
                startNew();
            }
        });
    }

    public Long getEditing() { return editing; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getHost() { return host; }
    public void setHost(String host) { this.host = host; }
    public Integer getPort() { return port; }
    public void setPort(Integer port) { this.port = port; }
    public String getTransport() { return transport; }
    public void setTransport(String transport) { this.transport = transport; }
    public Integer getPriority() { return priority; }
    public void setPriority(Integer priority) { this.priority = priority; }
    public Integer getWeight() { return weight; }
    public void setWeight(Integer weight) { this.weight = weight; }
    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public String getCountry() { return country; }
    public void setCountry(String country) { this.country = country; }
    public boolean isEmergency() { return emergency; }
    public void setEmergency(boolean emergency) { this.emergency = emergency; }
    public boolean isSigning() { return signing; }
    public void setSigning(boolean signing) { this.signing = signing; }
    public CarrierInboundForm getInbound() { return inbound; }
}
