package org.opentrunk.store;

import java.util.ArrayList;
import java.util.List;
import javax.persistence.CollectionTable;
import javax.persistence.Column;
import javax.persistence.ElementCollection;
import javax.persistence.Entity;
import javax.persistence.FetchType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.OrderColumn;
import javax.persistence.Table;
import javax.persistence.Version;

/** A customer's number (DID): its routes for inbound calls and its CNAM settings. */
@Entity
@Table(name = "did_number")
public class NumberEntity {

    @Id
    private String e164;
    @Column(name = "customer_id", nullable = false)
    private long customerId;
    @Column(name = "cnam_lookup", nullable = false)
    private boolean cnamLookup;
    /** 0 = deliver calls whose Identity failed verification; 608 or 403 = refuse them (IC-STIR) */
    @Column(name = "stir_failed_status", nullable = false)
    private int stirFailedStatus;
    @Column(name = "cnam_name")
    private String cnamName;
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "number_route", joinColumns = @JoinColumn(name = "e164"))
    @OrderColumn(name = "route_order")
    private List<RouteEmbeddable> routes = new ArrayList<>();
    @Version
    private long version;

    protected NumberEntity() {
    }

    public NumberEntity(String e164) {
        this.e164 = e164;
    }

    public String getE164() { return e164; }
    public long getCustomerId() { return customerId; }
    public void setCustomerId(long customerId) { this.customerId = customerId; }
    public boolean isCnamLookup() { return cnamLookup; }
    public void setCnamLookup(boolean cnamLookup) { this.cnamLookup = cnamLookup; }
    public int getStirFailedStatus() { return stirFailedStatus; }
    public void setStirFailedStatus(int stirFailedStatus) { this.stirFailedStatus = stirFailedStatus; }
    public String getCnamName() { return cnamName; }
    public void setCnamName(String cnamName) { this.cnamName = cnamName; }
    public List<RouteEmbeddable> getRoutes() { return routes; }
}
