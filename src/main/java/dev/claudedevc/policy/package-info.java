/**
 * The effective egress policy: the descriptor's {@code network} section, its presets, the non-essential traffic
 * it turns back on, the remote {@code .mcp.json} servers and the proxy, resolved once at read time into one
 * immutable model whose every entry says where it came from. Between {@code descriptor} (which reads) and
 * {@code generate}, {@code validate}, {@code audit}, {@code verify} and the CLI (which all use this, never the
 * descriptor's raw network lists).
 *
 * <h2>API note (for the other parts of issue 10)</h2>
 * <ul>
 *   <li>{@code EffectivePolicy policy = EffectivePolicy.of(loaded, presets)} — {@code loaded} from
 *       {@code DescriptorReader.read/load} (it carries a {@code SourceMap} of every value's line and column),
 *       {@code presets} the same {@code PresetCatalog} the reader used. In the CLI: {@code Workspace.policy()}.
 *       Tests: {@code TestPolicies.of(yaml)} / {@code ofProject(dir)}.</li>
 *   <li>{@link dev.claudedevc.policy.EffectivePolicy#decide(String, int)} and
 *       {@link dev.claudedevc.policy.EffectivePolicy#resolves(String)} (name only: does the resolver answer it)
 *       are the one matching rule; a {@link dev.claudedevc.policy.Decision} has a verdict (ALLOWED, DENIED_NAME,
 *       PORT_NOT_ALLOWED, NOT_LISTED), the deciding {@link dev.claudedevc.policy.PolicyEntry} and a reason.</li>
 *   <li>What the firewall loads: {@code mode()}, {@code ipv6()}, {@code groups()} (port sets with their distinct
 *       names and nets, sorted: group id = index), {@code deniedNames()}, {@code privateRanges()},
 *       {@code hostPorts()}, {@code verifyAllow()/verifyDeny()} (with provenance: {@code hostPortEntries()},
 *       {@code verifyAllowEntries()}, {@code verifyDenyEntries()}, {@code privateAnswers()}), {@code mcpServers()}.
 *       Every
 *       {@link dev.claudedevc.policy.AllowEntry} has {@code match()} (EXACT, SUBDOMAINS, NET), {@code value()},
 *       {@code ports()} and a {@link dev.claudedevc.policy.Provenance} whose {@code label()} is e.g.
 *       {@code preset npm: registry.npmjs.org} or {@code claude-devc.yaml:14:7} and {@code describe()} adds the
 *       key path: usable as a provenance comment in compiled files (deterministic: file name, not path).</li>
 *   <li>{@code allowed()} keeps every entry with its own provenance, duplicates included; {@code groups()} keeps
 *       the first (in source order) of each distinct destination. At most
 *       {@link dev.claudedevc.policy.EffectivePolicy#MAX_PORT_SETS} groups (the builder refuses more, located),
 *       and no entry opens DNS (53, 853): both hold by construction.</li>
 *   <li>{@link dev.claudedevc.policy.Destination#parse(String)}: {@code HOST[:PORT]} as {@code check} takes it.</li>
 * </ul>
 */
package dev.claudedevc.policy;
