package dev.claudedevc.verify;

/** A probe's verdict. */
public enum ProbeStatus {
    /** Observed what was expected. */
    PASS,
    /** Observed something else, or could not prove it. */
    FAIL,
    /** Not applicable here (no IPv6 on the network, no must-allow target, audit mode). */
    SKIP
}
