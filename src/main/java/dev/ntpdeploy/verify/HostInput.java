package dev.ntpdeploy.verify;

import dev.ntpdeploy.facts.Daemon;
import dev.ntpdeploy.facts.HostObservation;
import java.util.Optional;

/** What the verify command collected for one host: the probe's observation, or why SSH failed. */
public sealed interface HostInput permits HostInput.Reached, HostInput.Unreachable, HostInput.BecomeRefused {

    /**
     * @param renderedSha256 sha256 of the config the inventory renders for this host (empty: drift not checked)
     * @param daemon         the host's daemon as resolved for this run: what fix texts name
     */
    record Reached(HostObservation observation, Optional<String> renderedSha256, Daemon daemon) implements HostInput {

        /**
         * Whether the file on the host differs from the rendered one (a missing file differs); empty when they
         * could not be compared (no rendering to compare with, or the file unreadable).
         */
        public Optional<Boolean> configDrift() {
            if (renderedSha256.isEmpty()) {
                return Optional.empty();
            }
            if (!observation.configPresent()) {
                return Optional.of(true);
            }
            return observation.configSha256().map(sha -> !sha.equalsIgnoreCase(renderedSha256.get()));
        }
    }

    /** Logged in, but sudo refused to run the probe as root. @param reason sudo's refusal and its fix, one line */
    record BecomeRefused(String reason) implements HostInput {
    }

    /** @param reason the transport's one-line message (no secrets) */
    record Unreachable(String reason) implements HostInput {
    }
}
