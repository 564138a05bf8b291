package org.opentrunk.core.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.opentrunk.core.registrar.TestRegister.NOW;
import static org.opentrunk.core.registrar.TestRegister.register;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The 200 OK's Contact values: every binding with the seconds it has left. */
class ContactHeaderValuesTest {

    @Test
    void eachBindingIsListedWithItsRemainingSeconds() {
        List<Binding> current = register("<sip:100@192.168.1.5:5060;transport=udp>;q=0.5",
                "\"Soft, Phone\" <sip:101@10.0.0.9>;expires=120").apply(List.of());
        assertEquals(List.of("<sip:100@192.168.1.5:5060;transport=udp>;expires=3600;q=0.5",
                "<sip:101@10.0.0.9>;expires=120"), ContactHeaderValues.of(current, NOW));
        assertEquals(List.of("<sip:100@192.168.1.5:5060;transport=udp>;expires=3590;q=0.5",
                "<sip:101@10.0.0.9>;expires=110"), ContactHeaderValues.of(current, NOW + 10_000));
    }

    @Test
    void partSecondsRoundUpSoAFreshBindingShowsWhatWasGranted() {
        Binding b = register("<sip:100@192.168.1.5>").expires("60").apply(List.of()).get(0);
        assertEquals("<sip:100@192.168.1.5>;expires=60", ContactHeaderValues.of(b, NOW));
        assertEquals("<sip:100@192.168.1.5>;expires=1", ContactHeaderValues.of(b, NOW + 59_999));
        assertEquals("<sip:100@192.168.1.5>;expires=0", ContactHeaderValues.of(b, NOW + 60_000));
        assertEquals(List.of(), ContactHeaderValues.of(List.of(), NOW));
    }

    @Test
    void whatIsListedParsesBackToTheSameContacts() {
        List<Binding> current = register("<sip:%23100@192.168.1.5;transport=tcp?Subject=x>;q=1").apply(List.of());
        RegisterRequest echoed = register(ContactHeaderValues.of(current, NOW).toArray(String[]::new)).request();
        RequestedContact contact = (RequestedContact) echoed.contacts().get(0);
        assertEquals(current.get(0).contactUri(), contact.uriText());
        assertEquals(current.get(0).q(), contact.q());
    }
}
