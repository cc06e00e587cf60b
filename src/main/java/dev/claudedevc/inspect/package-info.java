/**
 * What a running dev container's agent can reach besides the network: protected workspace paths it can write,
 * forwarded sockets and credential helpers, token-like variables (names only), writable host mounts, capabilities,
 * the firewall's live status and redirects mounts cannot prevent. A probe script runs in the container through the
 * Docker API; {@link dev.claudedevc.inspect.Inspector} turns its facts into findings with a severity and a fix.
 */
package dev.claudedevc.inspect;
