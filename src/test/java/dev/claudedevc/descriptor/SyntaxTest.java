package dev.claudedevc.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.model.Cidr;
import dev.claudedevc.model.DomainRule;
import dev.claudedevc.model.DomainRule.Kind;
import dev.claudedevc.model.Endpoint;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The value grammar: canonical forms of addresses and ranges, and the reasons given for what is refused. */
class SyntaxTest {

    private static String reason(Runnable parse) {
        return assertThrows(IllegalArgumentException.class, parse::run).getMessage();
    }

    private static void assertReason(String expected, Runnable parse) {
        String reason = reason(parse);
        assertTrue(reason.contains(expected), () -> "expected '" + expected + "' in: " + reason);
    }

    // --- IPv6

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "FD00:0:0:0:0:0:0:5 | fd00::5",
        "2001:db8:0:0:1:0:0:1 | 2001:db8::1:0:0:1",
        "2001:0db8:0000:0000:0000:ff00:0042:8329 | 2001:db8::ff00:42:8329",
        ":: | ::",
        "0:0:0:0:0:0:0:0 | ::",
        "::1 | ::1",
        "0:0:0:0:0:0:0:1 | ::1",
        "1:: | 1::",
        "fe80:0:0:0:0:0:0:0 | fe80::",
        "2001:db8:0:1:1:1:1:1 | 2001:db8:0:1:1:1:1:1",
        "2001:0:0:1:0:0:0:1 | 2001:0:0:1::1",
        "2001:DB8::0:1 | 2001:db8::1",
        "1:2:3:4:5:6:7:8 | 1:2:3:4:5:6:7:8",
        "1:0:0:2:0:0:0:3 | 1:0:0:2::3",
    })
    void ipv6IsWrittenInRfc5952CanonicalForm(String text, String canonical) {
        assertEquals(canonical, Syntax.ipv6(text));
        assertEquals(canonical, Syntax.ipv6(canonical), "canonical form is a fixed point");
    }

    @Test
    void aSingleZeroGroupIsNotCompressedAndTheFirstOfEqualRunsIs() {
        assertEquals("2001:db8:0:1:1:1:1:1", Syntax.ipv6("2001:db8::1:1:1:1:1"));
        assertEquals("1::2:0:0:3:4", Syntax.ipv6("1:0:0:2:0:0:3:4"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"1::2::3", ":::", "12345::1", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8",
        "g::1", "::ffff:192.0.2.1", "fe80::1%eth0", "", ":1::", "1::2:", "1:", "[::1]", " ::1"})
    void malformedIpv6IsRefused(String text) {
        assertReason("is not an IPv6 address", () -> Syntax.ipv6(text));
    }

    @Test
    void ipv6RefusalsSayWhy() {
        assertReason("('::' twice)", () -> Syntax.ipv6("1::2::3"));
        assertReason("(wrong number of groups)", () -> Syntax.ipv6("1:2:3:4:5:6:7"));
    }

    // --- IPv4 and ports

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"0.0.0.0", "192.0.2.1", "255.255.255.255", "10.0.0.10"})
    void dottedQuadsAreAcceptedAsWritten(String text) {
        assertEquals(text, Syntax.ipv4(text));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"01.2.3.4", "1.2.3.04", "1.2.3.00", "0x7f.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3",
        "1.2.3.4 ", "", "2130706433"})
    void ipv4WithLeadingZerosOrTheWrongShapeIsRefused(String text) {
        assertReason("is not an IPv4 address", () -> Syntax.ipv4(text));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"256.1.1.1", "1.2.3.256", "999.0.0.0"})
    void ipv4OctetsOver255AreRefused(String text) {
        assertReason("octet over 255", () -> Syntax.ipv4(text));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"0", "65536", "70000", "abc", "080", "", "-1", "+443", "4 43", "1e3", "99999999999"})
    void portsOutside1To65535OrNotInPlainDecimalAreRefused(String text) {
        assertReason("is not a port (1 to 65535)", () -> Syntax.port(text));
    }

    @Test
    void portBoundsAreAccepted() {
        assertEquals(1, Syntax.port("1"));
        assertEquals(65535, Syntax.port("65535"));
    }

    // --- CIDRs

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "10.0.0.0/8 | 10.0.0.0/8",
        "192.168.1.128/25 | 192.168.1.128/25",
        "203.0.113.7/32 | 203.0.113.7/32",
        "10.0.0.0/08 | 10.0.0.0/8",
        "FD00:0:0:0:0:0:0:0/16 | fd00::/16",
        "2001:DB8:0:0:1::/80 | 2001:db8:0:0:1::/80",
        "::1/128 | ::1/128",
    })
    void cidrsAreReadInCanonicalForm(String text, String canonical) {
        Cidr cidr = Syntax.cidr(text);
        assertEquals(canonical, cidr.toString());
        assertEquals(cidr, Syntax.cidr(canonical));
        assertEquals(text.contains(":"), cidr.ipv6());
    }

    @Test
    void hostBitsInAnIpv4RangeAreRefusedWithTheNetworkItProbablyMeant() {
        assertReason("'10.0.0.1/8' has host bits set; did you mean 10.0.0.0/8?", () -> Syntax.cidr("10.0.0.1/8"));
        assertReason("did you mean 192.168.1.128/25?", () -> Syntax.cidr("192.168.1.130/25"));
        assertReason("did you mean 172.16.0.0/12?", () -> Syntax.cidr("172.31.255.255/12"));
    }

    @Test
    void hostBitsInAnIpv6RangeAreRefusedNamingThePrefix() {
        assertReason("'fd00::1/64' has host bits set after /64", () -> Syntax.cidr("fd00::1/64"));
        assertReason("host bits set after /17", () -> Syntax.cidr("fd00:4000::/17"));
    }

    @Test
    void rangesWiderThanSlash8OrSlash16AreTooBroad() {
        assertReason("too broad for an allowlist (at most /8)", () -> Syntax.cidr("0.0.0.0/0"));
        assertReason("too broad for an allowlist (at most /8)", () -> Syntax.cidr("16.0.0.0/4"));
        assertReason("too broad for an allowlist (at most /16)", () -> Syntax.cidr("::/0"));
        assertReason("too broad for an allowlist (at most /16)", () -> Syntax.cidr("2000::/3"));
        assertEquals("fd00::/16", Syntax.cidr("fd00::/16").toString());
    }

    @Test
    void malformedRangesAreRefusedWithTheReason() {
        assertReason("expected address/prefix", () -> Syntax.cidr("10.0.0.0"));
        assertReason("prefix length must be a number", () -> Syntax.cidr("10.0.0.0/"));
        assertReason("prefix length must be a number", () -> Syntax.cidr("10.0.0.0/eight"));
        assertReason("prefix length must be a number", () -> Syntax.cidr("10.0.0.0/8/8"));
        assertReason("prefix length must be a number", () -> Syntax.cidr("10.0.0.0/-8"));
        assertReason("prefix length over 32", () -> Syntax.cidr("10.0.0.0/33"));
        assertReason("prefix length over 128", () -> Syntax.cidr("fd00::/129"));
        assertReason("is not an IPv4 address", () -> Syntax.cidr("10.0.0/8"));
        assertReason("is not an IPv6 address", () -> Syntax.cidr("fd00:::/16"));
    }

    // --- host names, domain rules and their round trip

    @Test
    void hostNamesAreLowerCasedAndNeedTwoValidLabels() {
        assertEquals("api.example.com", Syntax.hostName("API.Example.COM"));
        assertReason("needs a dot", () -> Syntax.hostName("localhost"));
        assertReason("label '-a'", () -> Syntax.hostName("-a.example.com"));
        assertReason("label 'a-'", () -> Syntax.hostName("a-.example.com"));
        assertReason("label ''", () -> Syntax.hostName("a..example.com"));
        assertReason("top-level label must start with a letter", () -> Syntax.hostName("example.123"));
        assertReason("top-level label must start with a letter", () -> Syntax.hostName("example.1abc"));
        assertReason("1 to 253 characters", () -> Syntax.hostName("a.".repeat(127) + "com"));
        assertEquals(63, Syntax.hostName("a".repeat(63) + ".example").indexOf('.'));
        assertReason("at most 63 characters", () -> Syntax.hostName("a".repeat(64) + ".example"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "example.com | EXACT | example.com | ",
        "example.com:8443 | EXACT | example.com | 8443",
        "*.example.com | SUBDOMAINS | example.com | ",
        "*.example.com:8443 | SUBDOMAINS | example.com | 8443",
        "192.0.2.1 | IPV4 | 192.0.2.1 | ",
        "192.0.2.1:5353 | IPV4 | 192.0.2.1 | 5353",
        "fd00::1 | IPV6 | fd00::1 | ",
        "[fd00::1]:443 | IPV6 | fd00::1 | 443",
        "*.foo.github.io | SUBDOMAINS | foo.github.io | ",
    })
    void canonicalEntriesParseToTheirKindAndPrintBackUnchanged(String text, Kind kind, String value, Integer port) {
        DomainRule rule = Syntax.domainRule(text);
        assertEquals(new DomainRule(kind, value, port == null ? OptionalInt.empty() : OptionalInt.of(port)), rule);
        assertEquals(text, rule.toString());
        assertEquals(rule, Syntax.domainRule(rule.toString()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "Example.COM | example.com",
        "*.Sub.Example.com:8443 | *.sub.example.com:8443",
        "[FD00:0:0:0:0:0:0:1] | fd00::1",
        "[FD00::0001]:443 | [fd00::1]:443",
        "2001:DB8:0:0:0:0:0:1 | 2001:db8::1",
        "[::] | ::",
    })
    void otherSpellingsPrintInCanonicalFormAndRoundTrip(String text, String canonical) {
        DomainRule rule = Syntax.domainRule(text);
        assertEquals(canonical, rule.toString());
        assertEquals(rule, Syntax.domainRule(canonical));
    }

    @Test
    void wildcardsOverPublicOrSharedSuffixesAreTooBroad() {
        assertReason("only allowed as a leading '*.'", () -> Syntax.domainRule("*"));
        assertReason("covers a whole top-level domain", () -> Syntax.domainRule("*.com"));
        assertReason("'co.uk' is a public suffix", () -> Syntax.domainRule("*.co.uk"));
        assertReason("'com.au' is a public suffix", () -> Syntax.domainRule("*.com.au"));
        assertReason("anyone can host a name under 'github.io'", () -> Syntax.domainRule("*.github.io"));
        assertReason("anyone can host a name under 'amazonaws.com'", () -> Syntax.domainRule("*.amazonaws.com"));
        assertReason("only allowed as a leading '*.'", () -> Syntax.domainRule("foo.*.com"));
        assertReason("only allowed as a leading '*.'", () -> Syntax.domainRule("*.*.example.com"));
        assertReason("only allowed as a leading '*.'", () -> Syntax.domainRule("*example.com"));
        assertReason("top-level label must start with a letter", () -> Syntax.domainRule("*.10.0.0.1"));
    }

    @Test
    void malformedEntriesAreRefusedWithTheReason() {
        assertReason("empty entry", () -> Syntax.domainRule(""));
        assertReason("missing ']'", () -> Syntax.domainRule("[fd00::1"));
        assertReason("expected ':port' after ']'", () -> Syntax.domainRule("[fd00::1]443"));
        assertReason("'0' is not a port", () -> Syntax.domainRule("example.com:0"));
        assertReason("'' is not a port", () -> Syntax.domainRule("example.com:"));
        assertReason("is not an IPv6 address", () -> Syntax.domainRule("[192.0.2.1]:443"));
        assertReason("octet over 255", () -> Syntax.domainRule("192.0.2.300:443"));
    }

    // --- endpoints and proxy URLs

    @Test
    void endpointsTakeTheDefaultPortUnlessOneIsGiven() {
        assertEquals(new Endpoint("example.com", 443), Syntax.endpoint("Example.com", 443));
        assertEquals(new Endpoint("example.com", 8443), Syntax.endpoint("example.com:8443", 443));
        assertEquals(new Endpoint("192.0.2.1", 22), Syntax.endpoint("192.0.2.1:22", 443));
        assertEquals(new Endpoint("fd00::1", 5353), Syntax.endpoint("[FD00::1]:5353", 443));
        assertEquals(new Endpoint("fd00::1", 443), Syntax.endpoint("fd00::1", 443));
        assertEquals("[fd00::1]:5353", Syntax.endpoint("[fd00::1]:5353", 443).toString());
        assertEquals("example.com:443", Syntax.endpoint("example.com", 443).toString());
        assertReason("must be one host, not a wildcard", () -> Syntax.endpoint("*.example.com", 443));
        assertReason("is not a port", () -> Syntax.endpoint("example.com:99999", 443));
    }

    @Test
    void proxyUrlsNeedAHostTheFirewallCanAllowAndAValidPort() {
        assertEquals("http://proxy.corp.example:3128", Syntax.proxyUrl("http://proxy.corp.example:3128"));
        assertEquals("https://10.0.0.1:8080/", Syntax.proxyUrl("https://10.0.0.1:8080/"));
        assertEquals("http://proxy.corp.example", Syntax.proxyUrl("http://proxy.corp.example"));
        assertReason("'0' is not a port", () -> Syntax.proxyUrl("http://proxy.corp.example:0"));
        assertReason("'70000' is not a port", () -> Syntax.proxyUrl("http://proxy.corp.example:70000"));
        assertReason("needs a dot", () -> Syntax.proxyUrl("http://proxy:3128"));
        assertReason("is not a proxy URL", () -> Syntax.proxyUrl("http://user:secret@proxy.corp.example:3128"));
        assertReason("is not a proxy URL", () -> Syntax.proxyUrl("socks5://proxy.corp.example:1080"));
        assertReason("is not a proxy URL", () -> Syntax.proxyUrl("http://proxy.corp.example:3128/path"));
    }

    // --- the plain patterns

    @Test
    void thePlainPatternsRefuseEveryShellMetacharacter() {
        String[] hostile = {"$(id)", "`id`", "a;b", "a&&b", "a|b", "a'b", "a\"b", "a\\b", "a\nb", "a\u0000b", "a>b",
            "a<b", "a b c$"};
        var patterns = java.util.List.of(Syntax.PROJECT_NAME, Syntax.USER, Syntax.IMAGE, Syntax.PACKAGE,
                Syntax.TIMEZONE, Syntax.CLAUDE_VERSION, Syntax.EXTENSION, Syntax.SETTING_KEY, Syntax.ENV_NAME,
                Syntax.ENV_VALUE, Syntax.PROXY_URL, Syntax.NO_PROXY, Syntax.CERT_PATH, Syntax.PRESET_NAME);
        for (var pattern : patterns) {
            for (String text : hostile) {
                assertTrue(!pattern.matcher(text).matches(), () -> pattern + " accepted " + text);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void dnsPortsCannotBeAllowedBecauseOnlyTheLocalResolverMayUseThem() {
        for (String entry : new String[] {"dns.example.com:53", "dns.example.com:853", "192.0.2.1:53", "[fd00::1]:853"}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Syntax.domainRule(entry));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("is DNS"), e.getMessage());
        }
        assertEquals(5353, Syntax.allowedPort(5353));
    }

    /** IPv6 ranges that reach IPv4 destinations (mapped, compatible, SIIT, NAT64, 6to4, Teredo), or contain them. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"::ffff:0:0/96", "::/96", "::ffff:0:0:0/96",
        "64:ff9b::/96", "64:ff9b:1::/48", "2002::/16", "2001::/32", "::/16", "::ffff:0:0/97", "64:ff9b::/100",
        "2002::/20", "2001::/36", "64:ff9b::/32", "2001::/16", "64:ff9b:1::/50", "::/80"})
    void ipv6RangesThatEmbedIpv4AreRefused(String range) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Syntax.cidr(range));
        assertTrue(e.getMessage().contains("embeds all of IPv4") || e.getMessage().contains("IPv4 embedded"),
                e.getMessage());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"fd12:3456:789a::/48", "2001:db8::/32",
        "64:ff9b::a00:0/104", "2002:c000:200::/40", "::ffff:c000:200/120", "2606:4700::/32", "::1/128"})
    void otherIpv6RangesStayAllowed(String range) {
        Syntax.cidr(range);
    }
}
