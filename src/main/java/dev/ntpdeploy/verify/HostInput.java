package dev.ntpdeploy.verify;

import dev.ntpdeploy.facts.HostObservation;
import java.util.Optional;

/** What the verify command collected for one host: the probe's observation, or why SSH failed. */
public sealed interface HostInput permits HostInput.Reached, HostInput.Unreachable {

    /**
     * @param renderedSha256 sha256 of the config the inventory renders for this host (empty: drift not checked)
     */
    record Reached(HostObservation observation, Optional<String> renderedSha256) implements HostInput {
    }

    /** @param reason the transport's one-line message (no secrets) */
    record Unreachable(String reason) implements HostInput {
    }
}
