package dev.claudedevc.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.model.Endpoint;
import org.junit.jupiter.api.Test;

/** {@code check}'s HOST[:PORT]: one host in canonical form and a port, 443 unless given; never a pattern. */
class DestinationTest {

    @Test
    void namesAndAddressesComeOutCanonical() {
        assertEquals(new Endpoint("registry.npmjs.org", 443), Destination.parse("Registry.NPMJS.org."));
        assertEquals(new Endpoint("example.com", 8443), Destination.parse("example.com:8443"));
        assertEquals(new Endpoint("192.0.2.1", 53), Destination.parse("192.0.2.1:53"), "any port may be asked about");
        assertEquals(new Endpoint("2001:db8::1", 443), Destination.parse("2001:DB8:0::1"));
        assertEquals(new Endpoint("2001:db8::1", 22), Destination.parse("[2001:db8::1]:22"));
    }

    @Test
    void whatIsNotOneDestinationSaysWhy() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Destination.parse("*.example.com"))
                .getMessage().contains("not a pattern"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Destination.parse("example.com:0"))
                .getMessage().contains("is not a port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Destination.parse("[2001:db8::1]22"))
                .getMessage().contains("expected ':PORT'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Destination.parse("a\u202eb.com"))
                .getMessage().contains("\\u202e"), "an invisible character is shown, not printed");
        assertThrows(IllegalArgumentException.class, () -> Destination.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Destination.parse("localhost"));
    }

    @Test
    void anIpEntryWithAPortIsSpelledAsWritten() {
        EffectivePolicy p = TestPolicies.of("name: p\nnetwork:\n  allowedDomains: [\"192.0.2.7:9000\","
                + " \"[fd00::7]:9000\"]\n  allowedCidrs: [198.51.100.0/24]\n");
        assertEquals("192.0.2.7:9000", p.decide("192.0.2.7", 9000).entry().orElseThrow().spelling());
        assertEquals("[fd00::7]:9000", p.decide("fd00::7", 9000).entry().orElseThrow().spelling());
        assertEquals("198.51.100.0/24", p.decide("198.51.100.1", 443).entry().orElseThrow().spelling());
    }
}
