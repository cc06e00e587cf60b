/**
 * Proves a built image's firewall from the outside: starts it the way a dev container starts (capabilities, the
 * firewall run through sudo as the non-root user), beside a sidecar of verify's own that listens on the ports and
 * answers DNS, then probes, as that user, the allowlist and a standard matrix of escapes. Every deny probe's target
 * is the sidecar (or the image's own allowlist), so no deny probe sends traffic to the outside world; each is first
 * run without the firewall, so a "blocked" can only mean the firewall blocked it.
 *
 * <p>The matrix ({@link dev.claudedevc.verify.ProbeMatrix}) and the reports ({@link dev.claudedevc.verify.Reports})
 * are pure; {@link dev.claudedevc.verify.Verifier} does the I/O through {@link dev.claudedevc.docker.DockerEngine}.
 */
package dev.claudedevc.verify;
