package dev.ntpdeploy.engine;

import dev.ntpdeploy.facts.Daemon;
import dev.ntpdeploy.facts.RemoteFile;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.ops.SoleDaemon;
import dev.ntpdeploy.ops.PutFile;
import dev.ntpdeploy.ops.RestartService;
import dev.ntpdeploy.ops.Step;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What apply will do on one host, decided before anything is touched.
 *
 * @param daemon   the host's daemon, resolved once (declared, or detected when ntp_flavor is auto); null when unplannable
 * @param current  the config as the probe found it (kept in memory: the restore of last resort)
 * @param steps    in order; empty when the host already matches
 * @param diff     unified diff of the config (plus mode/owner lines, and a line naming the competing daemons to
 *                 stop and disable), "" when nothing differs
 * @param problem  why this host cannot be planned (unsupported daemon, ...); steps are then empty
 * @param leftovers reports of earlier runs' change units found on the host (file name -> text), to report and clear
 */
public record HostPlan(Host host, Daemon daemon, RemoteFile current,
                       List<Step> steps, String diff, Optional<String> problem, Map<String, String> leftovers) {

    public HostPlan {
        steps = List.copyOf(steps);
        leftovers = Map.copyOf(leftovers);
    }

    public static HostPlan unplannable(Host host, String problem) {
        return new HostPlan(host, null, null, List.of(), "", Optional.of(problem), Map.of());
    }

    public Flavor flavor() {
        return daemon.flavor();
    }

    public String confPath() {
        return daemon.confPath();
    }

    public String service() {
        return daemon.service();
    }

    public boolean changes() {
        return !steps.isEmpty();
    }

    public Optional<PutFile> putFile() {
        return steps.stream().filter(PutFile.class::isInstance).map(PutFile.class::cast).findFirst();
    }

    public Optional<SoleDaemon> soleDaemon() {
        return steps.stream().filter(SoleDaemon.class::isInstance).map(SoleDaemon.class::cast).findFirst();
    }

    public Optional<RestartService> restart() {
        return steps.stream().filter(RestartService.class::isInstance).map(RestartService.class::cast).findFirst();
    }
}
