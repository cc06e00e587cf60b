/**
 * claude-devc: renders a default-deny egress dev container from a descriptor, builds it and proves the firewall.
 *
 * <p>Layers: {@code model} (immutable records, JDK only) ← {@code descriptor} (reading and validation) ←
 * {@code render} (strict Mustache) ← {@code generate} (the output tree, safe writes, drift) ← {@code docker}
 * (the only package that sees docker-java) ← {@code verify} (probes) ← {@code cli} (the only package that sees
 * picocli).
 */
package dev.claudedevc;
