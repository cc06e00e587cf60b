/**
 * Checks of rendered output: devcontainer.json (structure the firewall depends on, and optionally the official
 * Dev Container JSON schema) and the firewall policy file.
 */
package dev.claudedevc.validate;
