package dev.ntpdeploy.verify;

import dev.ntpdeploy.facts.HostObservation;
import java.util.List;

/** The config file on the host: there, the one the inventory renders, loaded by the running daemon, accepted whole. */
final class ConfigRules {

    private ConfigRules() {
    }

    /** @param r the host's observation and what the inventory renders for it ({@link HostInput.Reached#configDrift}) */
    static void check(HostContext c, HostInput.Reached r) {
        HostObservation o = c.obs;
        c.configDiffers = r.configDrift();
        if (r.configDrift().orElse(false)) {
            if (!o.configPresent()) {
                c.add(FindingCode.CONFIG_MISSING, List.of());
            } else {
                c.add(FindingCode.CONFIG_DRIFT, List.of("sha256 on host " + o.configSha256().orElseThrow(),
                        "rendered sha256 " + r.renderedSha256().orElseThrow()));
            }
        }
        if (o.configPresent() && o.configChangedAfterStart(c.daemon.flavor())) {
            long age = o.configAgeSeconds().getAsLong();
            c.add(FindingCode.CONFIG_NOT_LOADED, List.of("config changed " + age + " s ago", c.daemonAge()),
                    "configAge", age, "uptime", c.uptime());
        }
        // ntpd logs "CONFIG: line N column M syntax error" and runs on without the line
        List<String> configErrors = o.logLines().stream().filter(c.daemon.flavor()::rejectedConfigLine).toList();
        if (!configErrors.isEmpty()) {
            c.add(FindingCode.CONFIG_REJECTED_LINES, configErrors,
                    "line", configErrors.get(0).replaceFirst("^.*?CONFIG: ", ""));
        }
    }
}
