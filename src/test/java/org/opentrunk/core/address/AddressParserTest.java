package org.opentrunk.core.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The header value syntax that IC-CLI-OUT, IC-CLI-IN, IC-DIVERSION and IC-CHARGE read. */
class AddressParserTest {

    private static List<SipAddress> parsed(String value) {
        AddressParseResult result = AddressParser.parse(value);
        assertInstanceOf(AddressParseResult.Parsed.class, result, () -> result.toString());
        return result.addresses();
    }

    private static SipAddress one(String value) {
        List<SipAddress> addresses = parsed(value);
        assertEquals(1, addresses.size(), addresses::toString);
        return addresses.get(0);
    }

    private static AddressProblem problem(String value) {
        AddressParseResult result = AddressParser.parse(value);
        assertInstanceOf(AddressParseResult.Malformed.class, result, () -> "parsed: " + result);
        return ((AddressParseResult.Malformed) result).problem();
    }

    @Test
    void asteriskFromWithQuotedNameAndTag() {
        SipAddress a = one("\"Alice Smith\" <sip:+12065550100@203.0.113.5>;tag=as6f8e2b1c");
        assertEquals(Optional.of("Alice Smith"), a.displayName());
        assertEquals("sip", a.uri().scheme());
        assertEquals(Optional.of("+12065550100"), a.uri().user());
        assertEquals("203.0.113.5", a.uri().host());
        assertEquals(Optional.of("as6f8e2b1c"), a.headerParameters().value("tag"));
        assertTrue(a.uri().parameters().isEmpty());
    }

    @Test
    void quotedNameWithEscapesAndCommaIsOneAddress() {
        SipAddress a = one("\"Doe, John \\\"JD\\\"\" <sip:2065550100@pbx.example.com:5060;user=phone>;tag=1");
        assertEquals(Optional.of("Doe, John \"JD\""), a.displayName());
        assertEquals(OptionalInt.of(5060), a.uri().port());
        assertEquals(Optional.of("phone"), a.uri().parameters().value("user"));
    }

    @Test
    void paiWithSipAndTelUris() {
        List<SipAddress> pai = parsed("<sip:+12065550100@10.0.0.1;user=phone>, <tel:+12065550100>");
        assertEquals(2, pai.size());
        assertEquals("tel", pai.get(1).uri().scheme());
        assertEquals(Optional.of("+12065550100"), pai.get(1).uri().user());
        assertEquals("", pai.get(1).uri().host());
    }

    @Test
    void addrSpecParametersBelongToTheHeader() {
        SipAddress a = one("sip:12065550100@10.1.1.1;tag=abc;user=phone");
        assertTrue(a.uri().parameters().isEmpty());
        assertEquals(Optional.of("abc"), a.headerParameters().value("tag"));
        assertTrue(a.headerParameters().has("USER"), "lookups ignore case");
        assertEquals("<sip:12065550100@10.1.1.1>;tag=abc;user=phone", a.render());
    }

    @Test
    void telAddrSpecAndTelParameters() {
        assertEquals(Optional.of("x"), one("tel:+12065550100;tag=x").headerParameters().value("tag"));
        SipAddress bracketed = one("<tel:+1-206-555-0100;oli=00>");
        assertEquals(Optional.of("+1-206-555-0100"), bracketed.uri().user());
        assertEquals(Optional.of("00"), bracketed.uri().parameters().value("oli"));
        assertEquals(Optional.of("00"), bracketed.uri().userParameters().value("oli"));
    }

    @Test
    void plainWordsDisplayName() {
        assertEquals(Optional.of("Alice Smith"), one("Alice \t  Smith <sip:alice@example.com>").displayName());
        assertEquals(Optional.of("Müller"), one("Müller <sip:200@pbx>").displayName());
    }

    @Test
    void ciscoRemotePartyId() {
        SipAddress a = one("\"Alice\" <sip:2065550100@10.1.1.1>;party=calling;screen=no;privacy=off");
        assertEquals(Optional.of("calling"), a.headerParameters().value("party"));
        assertEquals(Optional.of("off"), a.headerParameters().value("privacy"));
    }

    @Test
    void freeswitchFromWithExtension() {
        SipAddress a = one("\"Extension 1000\" <sip:1000@192.168.1.10>;tag=Xy8aK2gDv0p1F");
        assertEquals(Optional.of("1000"), a.uri().user());
    }

    @Test
    void threeCxFromWithPort() {
        SipAddress a = one("\"Office\" <sip:12065550100@sip.example.net:5060>;tag=f1b2c3d4");
        assertEquals("sip.example.net", a.uri().host());
        assertEquals(OptionalInt.of(5060), a.uri().port());
    }

    @Test
    void yealinkAnonymous() {
        SipAddress a = one("\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=1875203977");
        assertEquals(Optional.of("anonymous"), a.uri().user());
        assertEquals("anonymous.invalid", a.uri().host());
    }

    @Test
    @Tag("IC-DIVERSION")
    void stackedDiversionEntriesWithQuotedParameter() {
        List<SipAddress> d = parsed("<sip:+12065550111@pbx>;reason=unconditional;counter=1,"
                + "\"Bob, Sales\" <sip:+12065550122@pbx>;reason=\"user-busy\";privacy=off");
        assertEquals(2, d.size());
        assertEquals(Optional.of("\"user-busy\""), d.get(1).headerParameters().find("reason").orElseThrow().value());
        assertEquals(Optional.of("user-busy"), d.get(1).headerParameters().value("reason"));
    }

    @Test
    void escapedUserPartIsDecodedAndEscapedAgainOnRender() {
        SipAddress a = one("<sip:12345678%2312066418000@trunk.example.net>");
        assertEquals(Optional.of("12345678#12066418000"), a.uri().user());
        assertEquals("<sip:12345678%2312066418000@trunk.example.net>", a.render());
        assertEquals(Optional.of("+12066418000"), one("<sip:%2B12066418000@h>").uri().user());
    }

    @Test
    void passwordIsDropped() {
        SipAddress a = one("<sip:alice:secret@example.com>");
        assertEquals(Optional.of("alice"), a.uri().user());
        assertFalse(a.render().contains("secret"));
    }

    @Test
    void userParametersInsideTheUserPart() {
        SipUri uri = one("<sip:+12065550100;npdi;rn=+12065550000@carrier.example;user=phone>").uri();
        assertEquals(Optional.of("+12065550100"), uri.userWithoutParameters());
        assertTrue(uri.userParameters().has("npdi"));
        assertEquals(Optional.of("+12065550000"), uri.userParameters().value("rn"));
    }

    @Test
    void ipv6HostAndUriHeaders() {
        SipUri uri = one("<sip:alice@[2001:db8::1]:5070;transport=tcp?Subject=hello>").uri();
        assertEquals("[2001:db8::1]", uri.host());
        assertEquals(OptionalInt.of(5070), uri.port());
        assertEquals(Optional.of("Subject=hello"), uri.headers());
    }

    @Test
    void commaInsideAngleBracketsDoesNotSplit() {
        assertEquals(Optional.of("bob,alice"), one("<sip:bob,alice@example.com>").uri().user());
    }

    @Test
    void emptyListElementsAndWhitespaceAreTolerated() {
        assertEquals(1, parsed(" , <sip:a@b> ,").size());
        assertEquals(Optional.of("1"), one("<sip:a@b> ; tag = 1 ;").headerParameters().value("tag"));
        assertEquals(Optional.of("A"), one("\"A\"\r\n <sip:a@b>").displayName(), "a folded line's CRLF is whitespace");
        assertEquals(Optional.empty(), one("\"\" <sip:a@b>").displayName());
    }

    @Test
    void schemesAreCaseInsensitive() {
        assertEquals("sips", one("<SIPS:a@b>").uri().scheme());
        assertEquals("tel", one("TEL:+12065550100").uri().scheme());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "\"Alice <sip:a@b>| UNTERMINATED_QUOTE",
            "<sip:a@b| UNTERMINATED_ANGLE",
            "<mailto:a@b>| UNSUPPORTED_SCHEME",
            "<urn:service:sos>| UNSUPPORTED_SCHEME",
            "<a@b>| MISSING_SCHEME",
            "<>| MISSING_SCHEME",
            "<sip:%zz@b>| BAD_ESCAPE",
            "<sip:%C3@b>| BAD_ESCAPE",
            "<sip:a%0d%0aVia:@b>| INVALID_CHARACTER",
            "\"A\" sip:a@b| BAD_DISPLAY_NAME",
            "Al\"ice\" <sip:a@b>| BAD_DISPLAY_NAME",
            "<sip:a@b> junk| UNEXPECTED_CHARACTER",
            "<sip:a@b>;=x| BAD_PARAMETER",
            "<sip:a@b>;tag=| BAD_PARAMETER",
            "<sip:a@b;=x>| BAD_PARAMETER",
            "<sip:a@>| BAD_URI",
            "<sip:@b>| BAD_URI",
            "<sip:a@b:99999>| BAD_URI",
            "<sip:a@b:0>| BAD_URI",
            "<sip:a@b c>| BAD_URI",
            "<sip:a@b/c>| BAD_URI",
            "<tel:>| BAD_URI",
    })
    void malformedValues(String value, AddressProblem expected) {
        assertEquals(expected, problem(value));
    }

    @Test
    void emptyTooLongTooManyAndControls() {
        assertEquals(AddressProblem.EMPTY, problem(null));
        assertEquals(AddressProblem.EMPTY, problem("  "));
        assertEquals(AddressProblem.EMPTY, problem(" , ,"));
        assertEquals(AddressProblem.TOO_LONG, problem("<sip:" + "1".repeat(AddressParser.MAX_LENGTH) + "@b>"));
        assertEquals(AddressProblem.TOO_MANY, problem("<sip:a@b>,".repeat(AddressParser.MAX_ADDRESSES + 1)));
        assertEquals(AddressProblem.TOO_MANY, problem("<sip:a@b>" + ";p".repeat(AddressParser.MAX_PARAMETERS + 1)));
        assertEquals(AddressProblem.INVALID_CHARACTER, problem("\"A\u0000\" <sip:a@b>"));
        assertEquals(AddressProblem.INVALID_CHARACTER, problem("A\u0007 <sip:a@b>"));
        assertEquals(AddressProblem.INVALID_CHARACTER, problem("<sip:a@b>;x=\"\u001b[31m\""));
        assertEquals(AddressProblem.INVALID_CHARACTER, problem("\"\uD800\" <sip:a@b>"));
    }

    @Test
    void detailQuotesInputSafely() {
        AddressParseResult result = AddressParser.parse("<sip:a%0d%0aVia:@b>\r\nX-Evil: 1 junk");
        String detail = ((AddressParseResult.Malformed) result).detail();
        assertFalse(detail.contains("\r") || detail.contains("\n"), detail);
    }

    @Test
    void renderQuotesNamesAndAlwaysUsesAngleBrackets() {
        SipAddress a = new SipAddress(Optional.of("O\"Brien \\ Co"),
                SipUri.sip("+12065550100", "trunk.example.net", Parameters.of(SipUri.USER_PHONE)),
                Parameters.of(Parameter.of("tag", "1")));
        assertEquals("\"O\\\"Brien \\\\ Co\" <sip:+12065550100@trunk.example.net;user=phone>;tag=1", a.render());
        assertEquals(List.of(a), parsed(a.render()));
    }
}
