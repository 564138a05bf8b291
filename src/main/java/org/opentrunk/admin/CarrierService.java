package org.opentrunk.admin;

import java.util.List;
import java.util.Objects;
import javax.enterprise.context.ApplicationScoped;
import javax.inject.Inject;
import org.opentrunk.core.config.Carrier;
import org.opentrunk.core.config.ProvisioningDefaults;
import org.opentrunk.core.config.Transport;
import org.opentrunk.core.provisioning.FieldRules;
import org.opentrunk.core.routing.CarrierHealth;
import org.opentrunk.core.provisioning.InvalidFieldException;
import org.opentrunk.store.CarrierEntity;
import org.opentrunk.store.ProvisioningStore;

/** Carriers: validation, storage and publication; used by the REST API and the admin pages. */
@ApplicationScoped
public class CarrierService {

    @Inject
    private ProvisioningStore store;
    @Inject
    private ConfigPublisher publisher;
    @Inject
    private CarrierHealth carrierHealth;

    public List<CarrierJson> list() {
        return store.carriers().stream().map(this::toJson).toList();
    }

    public CarrierJson get(long id) {
        return toJson(store.carrier(id));
    }

    public CarrierJson create(CarrierJson json) {
        CarrierEntity saved = store.saveCarrier(apply(json, new CarrierEntity()));
        publisher.publish();
        return toJson(saved);
    }

    public CarrierJson update(long id, CarrierJson json) {
        CarrierEntity saved = store.saveCarrier(apply(json, store.carrier(id)));
        publisher.publish();
        return toJson(saved);
    }

    public void delete(long id) {
        store.deleteCarrier(id);
        publisher.publish();
    }

    private static CarrierEntity apply(CarrierJson json, CarrierEntity entity) {
        if (json == null) {
            throw new InvalidFieldException("body", "a carrier object is required");
        }
        entity.setName(FieldRules.name("name", json.name));
        entity.setHost(FieldRules.host("host", json.host));
        entity.setPort(FieldRules.port("port", Objects.requireNonNullElse(json.port, Carrier.DEFAULT_SIP_PORT)));
        try {
            entity.setTransport(Transport.parse(Objects.requireNonNullElse(json.transport, "udp")).uriParameter());
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("transport", e.getMessage());
        }
        entity.setPriority(FieldRules.range("priority",
                Objects.requireNonNullElse(json.priority, ProvisioningDefaults.CARRIER_PRIORITY), 0, 65_535));
        entity.setWeight(FieldRules.range("weight",
                Objects.requireNonNullElse(json.weight, ProvisioningDefaults.CARRIER_WEIGHT), 0, 65_535));
        entity.setEnabled(Objects.requireNonNullElse(json.enabled, true));
        entity.setCountry(FieldRules.country("country", json.country));
        entity.setEmergency(Objects.requireNonNullElse(json.emergency, false));
        entity.setSigning(Objects.requireNonNullElse(json.signing, false));
        entity.getInbound().set(CarrierInboundFields.policy(json));
        entity.setCaPem(caPem(json.caPem));
        return entity;
    }

    /** Longest caPem stored (the column's size): a few CA certificates. */
    static final int MAX_CA_PEM_CHARS = 16_384;

    /** IC-TLS: blank is none; else certificates that parse, so that a typo shows at once and not at the first call. */
    private static String caPem(String pem) {
        if (pem == null || pem.isBlank()) {
            return null;
        }
        if (pem.length() > MAX_CA_PEM_CHARS) {
            throw new InvalidFieldException("caPem", "at most " + MAX_CA_PEM_CHARS + " characters of PEM");
        }
        try {
            org.opentrunk.core.tls.PemFiles.certificates(pem, "caPem");
        } catch (org.opentrunk.core.tls.TlsMaterialException e) {
            throw new InvalidFieldException("caPem", e.getMessage());
        }
        return pem.strip() + "\n";
    }

    private CarrierJson toJson(CarrierEntity e) {
        CarrierJson json = new CarrierJson();
        json.id = e.getId();
        json.name = e.getName();
        json.host = e.getHost();
        json.port = e.getPort();
        json.transport = e.getTransport();
        json.priority = e.getPriority();
        json.weight = e.getWeight();
        json.enabled = e.isEnabled();
        json.country = e.getCountry();
        json.emergency = e.isEmergency();
        json.signing = e.isSigning();
        CarrierInboundFields.fill(json, e.getInbound().toPolicy());
        json.caPem = e.getCaPem();
        CarrierHealth.Status health = carrierHealth.status(e.getId());
        json.state = health.state().name().toLowerCase(java.util.Locale.ROOT);
        json.lastSeen = health.lastSeenMs() == 0 ? null : java.time.Instant.ofEpochMilli(health.lastSeenMs()).toString();
        return json;
    }
}
