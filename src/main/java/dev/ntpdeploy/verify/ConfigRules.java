package dev.ntpdeploy.verify;

import dev.ntpdeploy.facts.HostObservation;
import java.util.List;
import java.util.Optional;

/** The config file on the host: there, the one the inventory renders, loaded by the running daemon, accepted whole. */
final class ConfigRules {

    private ConfigRules() {
    }

    /** @param renderedSha256 what the inventory renders for the host (empty: drift not checked) */
    static void check(HostContext c, Optional<String> renderedSha256) {
        HostObservation o = c.obs;
        if (renderedSha256.isPresent()) {
            if (!o.configPresent()) {
                c.add(FindingCode.CONFIG_MISSING, List.of());
            } else if (o.configSha256().isPresent() && !o.configSha256().get().equalsIgnoreCase(renderedSha256.get())) {
                c.add(FindingCode.CONFIG_DRIFT,
                        List.of("sha256 on host " + o.configSha256().get(), "rendered sha256 " + renderedSha256.get()));
            }
        }
        if (o.configPresent() && o.configChangedAfterStart()) {
            long age = o.configAgeSeconds().getAsLong();
            c.add(FindingCode.CONFIG_NOT_LOADED, List.of("config changed " + age + " s ago", c.daemonAge()),
                    "configAge", age, "uptime", c.uptime());
        }
        // ntpd logs "CONFIG: line N column M syntax error" and runs on without the line
        List<String> configErrors = o.logLines().stream().filter(l -> l.contains("CONFIG") && l.contains("error")).toList();
        if (!configErrors.isEmpty()) {
            c.add(FindingCode.CONFIG_REJECTED_LINES, configErrors,
                    "line", configErrors.get(0).replaceFirst("^.*?CONFIG: ", ""));
        }
    }
}
