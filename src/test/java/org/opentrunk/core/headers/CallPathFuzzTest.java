package org.opentrunk.core.headers;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.address.AddressParseResult;
import org.opentrunk.core.address.AddressParser;
import org.opentrunk.core.address.FuzzInput;
import org.opentrunk.core.auth.IpAuthResult;
import org.opentrunk.core.auth.IpAuthentication;
import org.opentrunk.core.auth.TechPrefixUser;
import org.opentrunk.core.callerid.CallerIdentity;
import org.opentrunk.core.callerid.IdentifiedCaller;
import org.opentrunk.core.callerid.IdentityHeaders;
import org.opentrunk.core.callerid.OutgoingIdentity;
import org.opentrunk.core.callerid.Presentation;
import org.opentrunk.core.config.ConfigSnapshot;
import org.opentrunk.core.config.Customer;

/**
 * Seeded fuzzing of everything on the call path that reads peer input as text: nothing throws,
 * and every header value OpenTrunk would send parses (so garbage in never becomes broken
 * signalling out).
 */
class CallPathFuzzTest {

    static final int ROUNDS = 15_000;
    static final String DOMAIN = "trunk.example.net";
    static final ConfigSnapshot CONFIG = new ConfigSnapshot(
            List.of(Customer.byIp(1, "Acme", "12345678", Set.of("192.0.2.10"))), List.of(), List.of());

    @Test
    void callerIdentityNeverThrowsAndAlwaysSendsParsableHeaders() {
        Random random = new Random(FuzzInput.SEED);
        Map<Presentation, Integer> seen = new EnumMap<>(Presentation.class);
        for (int round = 0; round < ROUNDS; round++) {
            IdentityHeaders headers = new IdentityHeaders(values(random), values(random),
                    random.nextInt(4) == 0 ? Optional.empty() : Optional.of(FuzzInput.next(random)),
                    random.nextBoolean() ? List.of() : List.of(FuzzInput.randomText(random), "id"));
            IdentifiedCaller caller = CallerIdentity.identify(headers);
            seen.merge(caller.presentation(), 1, Integer::sum);
            Optional<String> name = random.nextBoolean() ? Optional.empty() : Optional.of(FuzzInput.randomText(random));
            for (OutgoingIdentity out : List.of(caller.toCarrier(DOMAIN, name), caller.toCustomer(DOMAIN, name))) {
                assertParses(out.from());
                out.pAssertedIdentity().ifPresent(CallPathFuzzTest::assertParses);
                out.privacy().ifPresent(p -> assertTrue(p.chars().allMatch(c -> c > 0x20 && c < 0x7f), p));
            }
        }
        for (Presentation presentation : Presentation.values()) {
            assertTrue(seen.getOrDefault(presentation, 0) > ROUNDS / 100, "the fuzzer should reach " + presentation + ": " + seen);
        }
    }

    @Test
    void passThroughNeverThrowsAndAlwaysSendsParsableHeaders() {
        Random random = new Random(FuzzInput.SEED + 1);
        for (int round = 0; round < ROUNDS; round++) {
            for (String header : List.of(Diversion.HEADER, PChargeInfo.HEADER)) {
                for (PassDirection direction : PassDirection.values()) {
                    RewrittenHeader out = HeaderPassThrough.rewrite(header, values(random), direction, DOMAIN);
                    out.values().forEach(CallPathFuzzTest::assertParses);
                }
            }
        }
    }

    @Test
    void tagsPrefixesAndIpAuthenticationNeverThrow() {
        Random random = new Random(FuzzInput.SEED + 2);
        for (int round = 0; round < ROUNDS * 2; round++) {
            String text = FuzzInput.randomText(random);
            XTag.of(text).ifPresent(tag -> assertTrue(tag.value().codePointCount(0, tag.value().length()) <= XTag.MAX_LENGTH));
            String user = (random.nextBoolean() ? "12345678" : "") + text;
            TechPrefixUser.parse(user).ifPresent(u -> assertNotNull(u.dialledNumber()));
            IpAuthResult result = IpAuthentication.decide(CONFIG, random.nextBoolean() ? "192.0.2.10" : text, user);
            assertNotNull(result);
        }
    }

    private static List<String> values(Random random) {
        int count = random.nextInt(3);
        return count == 0 ? List.of() : count == 1 ? List.of(FuzzInput.next(random))
                : List.of(FuzzInput.next(random), FuzzInput.next(random));
    }

    private static void assertParses(String value) {
        assertInstanceOf(AddressParseResult.Parsed.class, AddressParser.parse(value), value);
    }
}
