/**
 * From a validated descriptor to the bytes of {@code .devcontainer/}: one contributor per output file, a sorted
 * and deterministic tree, a writer that never overwrites without being told to and writes atomically, and the
 * drift check behind {@code generate --check}.
 */
package dev.claudedevc.generate;
