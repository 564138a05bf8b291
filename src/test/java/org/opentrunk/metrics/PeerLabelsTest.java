package org.opentrunk.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PeerLabelsTest {

    @Test
    void namesAreMadeSafeAndCut() {
        assertEquals("Acme_Telecom__EU_", PeerLabels.safeName("Acme Telecom (EU)"));
        assertEquals("gw-2.example_net", PeerLabels.safeName("gw-2.example_net"));
        assertEquals("M_nchen", PeerLabels.safeName("München"));
        assertEquals(PeerLabels.UNKNOWN_NAME, PeerLabels.safeName(""));
        assertEquals(PeerLabels.MAX_NAME_LENGTH, PeerLabels.safeName("x".repeat(500)).length());
    }

    @Test
    void idsPastTheBoundShareOneLabelSet() {
        PeerLabels labels = new PeerLabels(id -> id == 3 ? null : "n" + id);
        assertEquals(new PeerLabels.Labels("1", "n1"), labels.of(1));
        assertEquals(new PeerLabels.Labels("3", PeerLabels.UNKNOWN_NAME), labels.of(3), "deleted since the call");
        for (long id = 10; id < 10 + PeerLabels.MAX_PEERS; id++) {
            labels.of(id);
        }
        assertEquals(new PeerLabels.Labels(PeerLabels.OVERFLOW, PeerLabels.OVERFLOW), labels.of(1_000_000));
        assertEquals(new PeerLabels.Labels("1", "n1"), labels.of(1), "ids seen before keep their labels");
    }
}
