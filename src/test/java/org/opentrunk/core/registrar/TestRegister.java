package org.opentrunk.core.registrar;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.List;
import org.opentrunk.core.config.Transport;

/** A REGISTER for the tests: a desk phone of customer 7 behind NAT, changed one value at a time. */
final class TestRegister {

    static final long CUSTOMER = 7;
    static final long NOW = 1_735_689_600_000L;
    static final String CALL_ID = "a84b4c76e66710@192.168.1.5";
    static final String SOURCE = "198.51.100.7";
    static final int SOURCE_PORT = 40123;

    private long customerId = CUSTOMER;
    private final List<String> contacts = new ArrayList<>();
    private String expires;
    private String callId = CALL_ID;
    private String cseq = "1 REGISTER";
    private String source = SOURCE;
    private int port = SOURCE_PORT;
    private Transport transport = Transport.UDP;
    private String userAgent = "Yealink SIP-T46U 108.86.0.50";
    private long now = NOW;
    private final List<String> path = new ArrayList<>();

    private TestRegister() {
    }

    /** A REGISTER with these Contact header values (none: a fetch). */
    static TestRegister register(String... contactValues) {
        TestRegister r = new TestRegister();
        r.contacts.addAll(List.of(contactValues));
        return r;
    }

    TestRegister customer(long id) {
        customerId = id;
        return this;
    }

    TestRegister expires(String value) {
        expires = value;
        return this;
    }

    TestRegister callId(String value) {
        callId = value;
        return this;
    }

    TestRegister cseq(long number) {
        cseq = number + " REGISTER";
        return this;
    }

    TestRegister cseqHeader(String value) {
        cseq = value;
        return this;
    }

    TestRegister from(String address, int sourcePort) {
        source = address;
        port = sourcePort;
        return this;
    }

    TestRegister over(Transport value) {
        transport = value;
        return this;
    }

    /** Path header values (RFC 3327), as a front adds them. */
    TestRegister path(String... values) {
        path.addAll(List.of(values));
        return this;
    }

    TestRegister userAgent(String value) {
        userAgent = value;
        return this;
    }

    /** The request {@code seconds} after {@link #NOW}. */
    TestRegister after(long seconds) {
        now = NOW + seconds * 1000;
        return this;
    }

    RegisterHeaders headers() {
        return new RegisterHeaders(customerId, contacts, expires, callId, cseq, source, port, transport, userAgent, now, path);
    }

    RegisterRequest request() {
        RegisterParseResult parsed = RegisterRequest.parse(headers());
        return assertInstanceOf(RegisterParseResult.Parsed.class, parsed, () -> parsed.toString()).request();
    }

    /** Decides this REGISTER against {@code existing} with the default limits. */
    RegisterOutcome decide(List<Binding> existing) {
        return Registrar.decide(request(), existing, RegistrarLimits.DEFAULTS);
    }

    /** The bindings after this REGISTER, which must succeed. */
    List<Binding> apply(List<Binding> existing) {
        RegisterOutcome outcome = decide(existing);
        return assertInstanceOf(RegisterOutcome.Updated.class, outcome, () -> outcome.toString()).current();
    }
}
