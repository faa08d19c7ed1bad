package dev.ntpdeploy.engine;

import dev.ntpdeploy.facts.Daemon;
import dev.ntpdeploy.facts.ProbeFacts;
import dev.ntpdeploy.facts.RemoteFile;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.ops.SoleDaemon;
import dev.ntpdeploy.ops.PutFile;
import dev.ntpdeploy.ops.RestartService;
import dev.ntpdeploy.ops.Step;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A host's plan: resolve its daemon, pick the rendering for its flavor, and ask each operation what it needs
 * ({@link PutFile#plan}: upload when content, mode or owner differ; {@link RestartService#plan}: restart when the
 * file changes, the daemon is not running, or it started before the file last changed; {@link SoleDaemon#plan}:
 * the host's other time daemons, stopped and disabled last). Pure: no I/O.
 */
public final class Planner {

    private Planner() {
    }

    /**
     * @param rendered the host's config rendered per flavor (every flavor for ntp_flavor auto, else the declared one)
     */
    public static HostPlan plan(Host host, ProbeFacts facts, Map<Flavor, String> rendered) {
        Daemon.Resolution resolved = Daemon.resolve(host.ntp(), Optional.of(facts));
        if (resolved.daemon().isEmpty()) {
            return HostPlan.unplannable(host, resolved.problem());
        }
        Daemon daemon = resolved.daemon().get();
        String desiredText = rendered.get(daemon.flavor());
        if (desiredText == null) {
            return HostPlan.unplannable(host, "no config rendered for flavor " + daemon.flavor().word());
        }
        String path = daemon.confPath();
        RemoteFile current = facts.file(path);
        Optional<PutFile> put = PutFile.plan(path, desiredText.getBytes(StandardCharsets.UTF_8), current);
        Optional<RestartService> restart = RestartService.plan(daemon, facts,
                put.map(PutFile::changesContent).orElse(false));
        // last: the unit stops and disables the other daemons only once this one runs its config
        Optional<SoleDaemon> sole = SoleDaemon.plan(host.ntp(), daemon, facts);
        List<Step> steps = new ArrayList<>();
        put.ifPresent(steps::add);
        restart.ifPresent(steps::add);
        sole.ifPresent(steps::add);
        String diff = put.map(p -> p.diff(host.name(), current)).orElse("")
                + sole.map(c -> c.planLine() + "\n").orElse("");
        return new HostPlan(host, daemon, current, steps, diff, Optional.empty(), facts.leftovers());
    }
}
