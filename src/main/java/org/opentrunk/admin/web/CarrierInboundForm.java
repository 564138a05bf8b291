package org.opentrunk.admin.web;

import java.io.Serializable;
import java.util.List;
import org.opentrunk.admin.CarrierJson;
import org.opentrunk.core.config.CarrierInboundPolicy;

/** The carrier form's inbound policy fields (issue 25, spoofed carrier INVITEs), apart from the rest of the form. */
public class CarrierInboundForm implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final List<String> TRANSPORTS = List.of(CarrierInboundPolicy.InboundTransports.ANY.value(),
            CarrierInboundPolicy.InboundTransports.TCP_TLS.value());

    private String transports = CarrierInboundPolicy.InboundTransports.ANY.value();
    private Integer maxCps = 0;
    private boolean summariseUnknownNumbers;

    void load(CarrierJson c) {
        transports = c.inboundTransports;
        maxCps = c.maxInboundCps;
        summariseUnknownNumbers = Boolean.TRUE.equals(c.summariseUnknownNumbers);
    }

    void reset() {
        transports = CarrierInboundPolicy.InboundTransports.ANY.value();
        maxCps = 0;
        summariseUnknownNumbers = false;
    }

    void store(CarrierJson json) {
        json.inboundTransports = transports;
        json.maxInboundCps = maxCps;
        json.summariseUnknownNumbers = summariseUnknownNumbers;
    }

    public List<String> getTransportChoices() { return TRANSPORTS; }
    public String getTransports() { return transports; }
    public void setTransports(String transports) { this.transports = transports; }
    public Integer getMaxCps() { return maxCps; }
    public void setMaxCps(Integer maxCps) { this.maxCps = maxCps; }
    public boolean isSummariseUnknownNumbers() { return summariseUnknownNumbers; }
    public void setSummariseUnknownNumbers(boolean summarise) { this.summariseUnknownNumbers = summarise; }
}
