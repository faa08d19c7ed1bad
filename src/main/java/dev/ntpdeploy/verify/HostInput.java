package dev.ntpdeploy.verify;

import dev.ntpdeploy.facts.Daemon;
import dev.ntpdeploy.facts.HostObservation;
import java.util.Optional;

/** What the verify command collected for one host: the probe's observation, or why SSH failed. */
public sealed interface HostInput permits HostInput.Reached, HostInput.Unreachable {

    /**
     * @param renderedSha256 sha256 of the config the inventory renders for this host (empty: drift not checked)
     * @param daemon         the host's daemon as resolved for this run: what fix texts name
     */
    record Reached(HostObservation observation, Optional<String> renderedSha256, Daemon daemon) implements HostInput {
    }

    /** @param reason the transport's one-line message (no secrets) */
    record Unreachable(String reason) implements HostInput {
    }
}
