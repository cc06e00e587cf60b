package dev.claudedevc.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.descriptor.DescriptorReader;
import dev.claudedevc.descriptor.PresetCatalog;
import dev.claudedevc.model.Endpoint;
import dev.claudedevc.model.Preset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The effective policy: every source resolved into entries that say where they came from, and the one matching
 * rule (exact, {@code *.x} strictly below, ranges, ports, denied wins).
 */
class EffectivePolicyTest {

    private static final String DESCRIPTOR = """
            name: p
            network:
              presets: [github, npm]
              allowedDomains:
                - api.example.com
                - "*.cdn.example.com:8443"
                - 192.0.2.7:9000
              deniedDomains: [evil.cdn.example.com]
              allowedCidrs: [198.51.100.0/24]
              privateAnswers: [10.20.0.0/16]
            proxy:
              https: http://proxy.corp.example:3128
            """;

    private static final EffectivePolicy POLICY = TestPolicies.of(DESCRIPTOR);

    private static PolicyEntry entry(Decision d) {
        return d.entry().orElseThrow(() -> new AssertionError("no entry: " + d));
    }

    @Test
    void aPresetEntrySaysWhichPresetAndWhereThePresetIsNamed() {
        Decision d = POLICY.decide("registry.npmjs.org", 443);
        assertTrue(d.allowed(), d.toString());
        Provenance from = entry(d).provenance();
        assertEquals(Provenance.Kind.PRESET, from.kind());
        assertEquals("npm", from.origin());
        assertEquals("preset npm: registry.npmjs.org", from.label());
        assertEquals("network.presets[1]", from.keyPath());
        assertEquals("claude-devc.yaml:3:21", from.location(), "line 3, the second item of the flow list");
    }

    @Test
    void aDescriptorEntryIsLocatedAtItsLineAndColumn() {
        Provenance from = entry(POLICY.decide("api.example.com", 80)).provenance();
        assertEquals(Provenance.Kind.DESCRIPTOR, from.kind());
        assertEquals("claude-devc.yaml:5:7", from.label());
        assertEquals("network.allowedDomains[0]", from.keyPath());
        assertEquals("claude-devc.yaml:5:7 (network.allowedDomains[0])", from.describe());
    }

    @Test
    void anExactEntryCoversOnlyItsNameAndOnlyTheDefaultPorts() {
        assertTrue(POLICY.decide("API.Example.com.", 443).allowed(), "case and a trailing dot do not matter");
        assertEquals(Decision.Verdict.NOT_LISTED, POLICY.decide("www.api.example.com", 443).verdict());
        assertEquals(Decision.Verdict.NOT_LISTED, POLICY.decide("example.com", 443).verdict());
        Decision other = POLICY.decide("api.example.com", 22);
        assertEquals(Decision.Verdict.PORT_NOT_ALLOWED, other.verdict());
        assertTrue(other.reason().contains("443, 80 only, not 22"), other.reason());
        assertEquals("api.example.com", entry(other).spelling(), "names the entry that allows the host elsewhere");
    }

    @Test
    void aWildcardCoversNamesStrictlyBelowItOnItsOwnPortOnly() {
        assertTrue(POLICY.decide("a.b.cdn.example.com", 8443).allowed());
        assertEquals(Decision.Verdict.NOT_LISTED, POLICY.decide("cdn.example.com", 8443).verdict(),
                "*.x does not cover x");
        assertEquals(Decision.Verdict.PORT_NOT_ALLOWED, POLICY.decide("a.cdn.example.com", 443).verdict());
    }

    @Test
    void aDeniedNameWinsOverAnAllowingWildcardForItselfAndBelow() {
        for (String name : List.of("evil.cdn.example.com", "x.evil.cdn.example.com")) {
            Decision d = POLICY.decide(name, 8443);
            assertEquals(Decision.Verdict.DENIED_NAME, d.verdict(), name);
            assertEquals("network.deniedDomains[0]", entry(d).provenance().keyPath());
            assertEquals(Decision.Verdict.DENIED_NAME, POLICY.resolves(name).verdict());
        }
        assertTrue(POLICY.resolves("good.cdn.example.com").allowed());
    }

    @Test
    void addressesMatchRangesAndIpEntriesNeverNames() {
        Decision inRange = POLICY.decide("198.51.100.200", 443);
        assertTrue(inRange.allowed());
        assertEquals("198.51.100.0/24", entry(inRange).spelling());
        assertEquals("network.allowedCidrs[0]", entry(inRange).provenance().keyPath());
        assertTrue(POLICY.decide("192.0.2.7", 9000).allowed());
        assertEquals(Decision.Verdict.PORT_NOT_ALLOWED, POLICY.decide("192.0.2.7", 443).verdict());
        assertEquals(Decision.Verdict.NOT_LISTED, POLICY.decide("192.0.2.8", 9000).verdict());
        assertEquals(Decision.Verdict.NOT_LISTED, POLICY.decide("10.20.0.5", 443).verdict(),
                "a private answer range is exempt from the guard, not allowed by itself");
    }

    @Test
    void theMostSpecificEntryDecides() {
        EffectivePolicy p = TestPolicies.of("""
                name: p
                network:
                  allowedDomains: ["*.example.com", "*.a.example.com", "x.a.example.com"]
                  allowedCidrs: [10.0.0.0/8, 10.1.0.0/16]
                  privateAnswers: [10.0.0.0/8]
                """);
        assertEquals("x.a.example.com", entry(p.decide("x.a.example.com", 443)).spelling());
        assertEquals("*.a.example.com", entry(p.decide("y.a.example.com", 443)).spelling());
        assertEquals("10.1.0.0/16", entry(p.decide("10.1.2.3", 443)).spelling());
    }

    @Test
    void theProxyIsAllowedOnItsOwnPortWithItsKey() {
        Decision d = POLICY.decide("proxy.corp.example", 3128);
        assertTrue(d.allowed(), d.toString());
        assertEquals(Provenance.Kind.PROXY, entry(d).provenance().kind());
        assertEquals("proxy.https", entry(d).provenance().keyPath());
        assertEquals("claude-devc.yaml:12:10", entry(d).provenance().location());
    }

    @Test
    void nonEssentialTrafficComesFromThePresetsOptionalGroup() {
        EffectivePolicy p = TestPolicies.of("name: p\nclaudeCode:\n  nonEssential: [updates, telemetry]\n"
                + "network:\n  presets: [anthropic]\n");
        Preset.Entry telemetry = PresetCatalog.builtIn().get("anthropic").orElseThrow().group("telemetry")
                .orElseThrow().entries().get(0);
        Decision d = p.decide(telemetry.rule().value(), 443);
        assertTrue(d.allowed(), d.toString());
        Provenance from = entry(d).provenance();
        assertEquals(Provenance.Kind.NON_ESSENTIAL, from.kind());
        assertEquals("claudeCode.nonEssential[1]", from.keyPath(), "the index of telemetry as written");
        assertEquals("claude-devc.yaml:3:27", from.location());
        assertFalse(TestPolicies.of("name: p\nnetwork:\n  presets: [anthropic]\n")
                .decide(telemetry.rule().value(), 443).allowed(), "off unless listed");
    }

    @Test
    void aCatalogWithoutTheOptionalGroupIsALocatedDescriptorError() {
        var loaded = TestPolicies.loaded("name: p\nclaudeCode:\n  nonEssential: [telemetry]\n");
        Preset bare = new Preset("anthropic", "no groups", List.of());
        PresetCatalog without = PresetCatalog.of(List.of(bare));
        ClaudeDevcException e = assertThrows(ClaudeDevcException.class, () -> EffectivePolicy.of(loaded, without));
        assertEquals(ClaudeDevcException.Kind.INVALID_DESCRIPTOR, e.kind());
        assertTrue(e.getMessage().startsWith("claude-devc.yaml:3:18: claudeCode.nonEssential[0]: telemetry: the"
                + " anthropic preset has no optional group"), e.getMessage());
    }

    @Test
    void groupsAreTheDistinctDestinationsByPortSetSorted() {
        EffectivePolicy p = TestPolicies.of("""
                name: p
                network:
                  presets: [npm]
                  allowedDomains: [registry.npmjs.org, b.example.com, a.example.com, "c.example.com:8443"]
                """);
        assertEquals(List.of("443,80", "8443"), p.groups().stream().map(PortGroup::portList).toList());
        List<AllowEntry> names = p.groups().get(0).names();
        assertEquals(List.of("a.example.com", "b.example.com", "registry.npmjs.org", "registry.yarnpkg.com"),
                names.stream().map(AllowEntry::value).toList());
        assertEquals(Provenance.Kind.PRESET, names.get(2).provenance().kind(), "the first source of a duplicate");
        assertEquals(2, p.allowed().stream().filter(e -> e.value().equals("registry.npmjs.org")).count(),
                "allowed() keeps both sources");
    }

    @Test
    void eachRegistryPresetGivesItsRegistryOnTheHttpsPort() {
        EffectivePolicy p = TestPolicies.of("name: x\nnetwork:\n  presets: [anthropic, github, npm, pypi, maven, go,"
                + " crates]\n");
        List<Endpoint> targets = p.registryTargets();
        assertEquals(5, targets.size(), targets::toString);
        assertTrue(targets.contains(new Endpoint("registry.npmjs.org", 443)), targets::toString);
        assertEquals(List.of(443), targets.stream().map(Endpoint::port).distinct().toList());
        assertEquals(List.of(), TestPolicies.of("name: x\nnetwork:\n  presets: [anthropic, github]\n")
                .registryTargets());
        assertEquals(List.of(new Endpoint("registry.npmjs.org", 80)),
                TestPolicies.of("name: x\nnetwork:\n  presets: [npm]\n  ports: [80]\n").registryTargets());
    }

    @Test
    void moreDistinctPortSetsThanTheFirewallLoadsIsALocatedError() {
        StringBuilder yaml = new StringBuilder("name: p\nnetwork:\n  allowedDomains:\n");
        for (int i = 0; i < EffectivePolicy.MAX_PORT_SETS; i++) {
            yaml.append("    - \"h.example.com:").append(10000 + i).append("\"\n");
        }
        TestPolicies.of(yaml.toString()); // 100 sets: the firewall's limit, accepted
        yaml.append("    - \"h.example.com:20000\"\n");
        ClaudeDevcException e = assertThrows(ClaudeDevcException.class, () -> TestPolicies.of(yaml.toString()));
        assertTrue(e.getMessage().startsWith("claude-devc.yaml:104:7: network.allowedDomains[100]: 'h.example.com"
                + ":20000' makes 101 distinct sets of ports"), e.getMessage());
    }

    @Test
    void noEntryCanOpenDns() {
        Provenance from = new Provenance(Provenance.Kind.DESCRIPTOR, "", "x", "x", "x");
        for (int port : new int[] {53, 853, 0, 65536}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new AllowEntry(AllowEntry.Match.EXACT, "a.example.com", List.of(443, port), false, from));
        }
    }

    @Test
    void hostPortsSelfTestTargetsAndPrivateAnswersSayWhereTheyCameFrom() {
        EffectivePolicy p = TestPolicies.of("""
                name: p
                network:
                  hostAccess: {ports: [8443, 3000]}
                  verify:
                    allow: [a.example.com]
                    deny: ["b.example.com:22"]
                """);
        assertEquals(List.of(3000, 8443), p.hostPorts());
        assertEquals("network.hostAccess.ports[1]", p.hostPortEntries().get(1).provenance().keyPath());
        assertEquals("claude-devc.yaml:3:30", p.hostPortEntries().get(1).provenance().location());
        assertEquals(new Endpoint("b.example.com", 22), p.verifyDenyEntries().get(0).value());
        assertEquals("claude-devc.yaml:6:12", p.verifyDenyEntries().get(0).provenance().location());
        assertEquals(List.of(new Endpoint("a.example.com", 443)), p.verifyAllow());
        assertEquals("network.privateAnswers[0]", POLICY.privateAnswers().get(0).provenance().keyPath());
    }

    @Test
    void anEmptyPolicyAllowsNothing() {
        assertTrue(TestPolicies.of("name: x\n").allowsNothing());
        assertFalse(POLICY.allowsNothing());
    }

    @Test
    void aJsonDescriptorIsLocatedToo() {
        var loaded = new DescriptorReader().load(
                "{\"name\": \"j\",\n \"network\": {\"allowedDomains\": [\"j.example.com\"]}}\n"
                        .getBytes(StandardCharsets.UTF_8), Path.of("claude-devc.json"));
        assertEquals("claude-devc.json:2:33",
                entry(TestPolicies.of(loaded).decide("j.example.com", 443)).provenance().location());
    }
}
