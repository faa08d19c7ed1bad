package dev.ntpdeploy.watch;

import dev.ntpdeploy.facts.NtpProbe;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.render.ConfigRenderer;
import dev.ntpdeploy.render.RenderException;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.Credentials;
import dev.ntpdeploy.transport.ExecResult;
import dev.ntpdeploy.transport.Fleet;
import dev.ntpdeploy.transport.HostKeyPolicy;
import dev.ntpdeploy.transport.TransportException;
import dev.ntpdeploy.transport.TransportOptions;
import dev.ntpdeploy.verify.HostInput;
import dev.ntpdeploy.verify.TopologyJudge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One verification of the fleet, as verify does it: connect to every host, run {@link NtpProbe} (one round trip,
 * privileged), judge the topology with {@link TopologyJudge}. Connections are opened per round and closed at its
 * end: a long-running watch then survives reboots and re-keyed hosts, and holds no sockets between rounds
 * (a handshake per host per round is cheap at minute intervals). Passwords and host keys are resolved once.
 * Config drift is checked for hosts whose flavor is declared (auto needs detection on the host: no drift series).
 *
 * <p>Interim: when the verify command's own round lands, watch should call that instead and this class go.
 */
public final class ProbeRound implements VerificationRound {

    private final Inventory inventory;
    private final TransportOptions options;
    private final Credentials credentials;
    private final HostKeyPolicy hostKeys;
    private final ConfigRenderer renderer;
    private volatile Fleet current;
    private volatile boolean closed;

    private ProbeRound(Inventory inventory, TransportOptions options, Credentials credentials, HostKeyPolicy hostKeys,
                       ConfigRenderer renderer) {
        this.inventory = inventory;
        this.options = options;
        this.credentials = credentials;
        this.hostKeys = hostKeys;
        this.renderer = renderer;
    }

    /** Resolves passwords (prompting once if asked) and the host-key policy, before any round. */
    public static ProbeRound open(Inventory inventory, TransportOptions options, ConfigRenderer renderer)
            throws TransportException {
        Credentials credentials = Credentials.resolve(options, System.getenv(), Credentials.Prompter.console(),
                Path.of(System.getProperty("user.home"), ".ssh"));
        return new ProbeRound(inventory, options, credentials, Fleet.hostKeyPolicy(options), renderer);
    }

    @Override
    public FleetState run() throws Exception {
        Map<String, String> rendered = renderedHashes();
        Fleet fleet = Fleet.open(Fleet.specs(inventory.hosts()), options, credentials, hostKeys);
        current = fleet;
        try {
            if (closed) {
                throw new InterruptedException("watch is stopping");
            }
            Map<String, HostInput> inputs = new ConcurrentHashMap<>();
            fleet.unreachable().forEach((host, why) -> inputs.put(host, new HostInput.Unreachable(why)));
            List<Callable<Void>> probes = new ArrayList<>();
            fleet.connected().forEach((host, c) -> probes.add(() -> {
                inputs.put(host, probe(inventory.host(host).orElseThrow(), c, rendered));
                return null;
            }));
            if (!probes.isEmpty()) {
                ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.forks(), probes.size()), r -> {
                    Thread t = new Thread(r, "ntpdeploy-probe");
                    t.setDaemon(true);
                    return t;
                });
                try {
                    pool.invokeAll(probes);
                } finally {
                    pool.shutdownNow();
                }
            }
            return VerifyResults.toFleetState(TopologyJudge.judge(inventory, inputs), rendered.keySet());
        } finally {
            current = null;
            fleet.close();
        }
    }

    private HostInput probe(Host host, Connection c, Map<String, String> rendered) {
        try {
            ExecResult r = c.execPrivileged(NtpProbe.command(confPath(host)), null, options.commandTimeout());
            return new HostInput.Reached(NtpProbe.parse(r.stdout()),
                    java.util.Optional.ofNullable(rendered.get(host.name())));
        } catch (IOException e) {
            return new HostInput.Unreachable(WatchLoop.oneLine(e));
        }
    }

    private static String confPath(Host h) {
        Flavor f = h.ntp().flavor();
        return h.ntp().confPathFor(f == Flavor.AUTO ? Flavor.NTPSEC : f);
    }

    /** sha256 of the config the inventory renders, per host with a declared flavor (re-read each round). */
    private Map<String, String> renderedHashes() throws NoSuchAlgorithmException {
        Map<String, String> out = new LinkedHashMap<>();
        if (renderer == null) {
            return out;
        }
        for (Host h : inventory.hosts()) {
            if (h.ntp().flavor() == Flavor.AUTO) {
                continue;
            }
            try {
                byte[] text = renderer.render(h, inventory, h.ntp().flavor()).getBytes(StandardCharsets.UTF_8);
                out.put(h.name(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text)));
            } catch (RenderException e) {
                // templates unreadable now: drift for this host is unknown this round, not a failed round
            }
        }
        return out;
    }

    /** Closes the connections of a running round, which unblocks it; later rounds do not start. */
    @Override
    public void close() {
        closed = true;
        Fleet f = current;
        if (f != null) {
            f.close();
        }
    }
}
