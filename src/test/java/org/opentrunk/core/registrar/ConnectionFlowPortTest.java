package org.opentrunk.core.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.opentrunk.core.config.Transport;

class ConnectionFlowPortTest {

    @Test
    void tlsAndTcpUseTheViaSentByPort() {
        assertEquals(26003, ConnectionFlowPort.of(Transport.TLS, 59374,
                "SIP/2.0/TLS 127.0.6.2:26003;branch=z9hG4bKdc3b;rport=59374;received=127.0.0.1"));
        assertEquals(5080, ConnectionFlowPort.of(Transport.TCP, 40000, "SIP/2.0/TCP 192.0.2.7:5080;branch=z9hG4bK1"));
        assertEquals(5080, ConnectionFlowPort.of(Transport.TCP, 40000, "sip/2.0/tcp   192.0.2.7:5080 ;branch=z9hG4bK1"));
    }

    @Test
    void aSentByWithoutPortMeansTheTransportsDefault() {
        assertEquals(5061, ConnectionFlowPort.of(Transport.TLS, 40000, "SIP/2.0/TLS pbx.example.com;branch=z9hG4bK1"));
        assertEquals(5060, ConnectionFlowPort.of(Transport.TCP, 40000, "SIP/2.0/TCP 192.0.2.7;branch=z9hG4bK1"));
        assertEquals(5061, ConnectionFlowPort.of(Transport.TLS, 40000, "SIP/2.0/TLS [2001:db8::1];branch=z9hG4bK1"));
        assertEquals(5062, ConnectionFlowPort.of(Transport.TLS, 40000, "SIP/2.0/TLS [2001:db8::1]:5062;branch=z9hG4bK1"));
    }

    @Test
    void udpKeepsTheSourcePortWhereNatRepliesGo() {
        assertEquals(40000, ConnectionFlowPort.of(Transport.UDP, 40000, "SIP/2.0/UDP 192.168.1.5:5060;branch=z9hG4bK1"));
    }

    @Test
    void anUnreadableViaKeepsTheSourcePort() {
        assertEquals(40000, ConnectionFlowPort.of(Transport.TLS, 40000, null));
        assertEquals(40000, ConnectionFlowPort.of(Transport.TLS, 40000, "garbage"));
        assertEquals(40000, ConnectionFlowPort.of(Transport.TLS, 40000, "SIP/2.0/TLS 192.0.2.7:99999;branch=x"));
        assertEquals(40000, ConnectionFlowPort.of(Transport.TLS, 40000, "SIP/2.0/TLS 192.0.2.7:abc;branch=x"));
        assertEquals(40000, ConnectionFlowPort.of(Transport.TLS, 40000, "SIP/2.0/TLS "));
    }
}
