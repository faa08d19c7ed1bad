package dev.ntpdeploy.watch;

import dev.ntpdeploy.engine.Connector;
import dev.ntpdeploy.engine.VerifyJob;
import dev.ntpdeploy.engine.VerifyRequest;
import dev.ntpdeploy.facts.Daemon;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.inventory.InventoryException;
import dev.ntpdeploy.render.ConfigRenderer;
import dev.ntpdeploy.render.RenderException;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.ExecResult;
import dev.ntpdeploy.transport.TransportException;
import dev.ntpdeploy.transport.TransportOptions;
import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.Verdict;
import dev.ntpdeploy.verify.VerifyResult;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One watch round = what {@code ntpdeploy verify} does once ({@link VerifyJob}: the hosts of --limit and their
 * masters, one probe per host, no waiting for sync, the whole topology judged), over connections kept between rounds.
 *
 * <p>The contract: each host is connected once and its connection is lent to every later round, so a steady-state
 * round costs one command per host and no handshake. Before each round a kept connection is dropped (closed) when it
 * is no longer usable or its host could not be probed in the previous round (UNREACHABLE: the probe failed on the
 * transport, or sudo refused it); such a host, and every host not connected yet, is opened again through the
 * connector, that is by the same dialer as a cold {@code verify}: strict host-key checking on every hop, so a host
 * that rebooted is simply connected again and a re-keyed one is UNREACHABLE with the host-key message. A host that
 * could not be opened is tried again every round. Each host's daemon, once resolved (declared, or detected by the identity probe of
 * {@code ntp_flavor: auto}), is kept with its connection and not detected again; it is forgotten when the host is
 * reconnected (it may have been reinstalled) or found DAEMON_DOWN (apply may have switched it to another daemon).
 *
 * <p>The limit, the templates, passwords and the host-key policy are checked and resolved once, before the first
 * round, so --ask-pass prompts once. {@link #close()} closes the kept connections, which also unblocks a running round.
 */
public final class VerifyRound implements VerificationRound {

    private final VerifyRequest request;
    private final Consumer<String> progress;
    private final VerifyJob.Selection selection;
    private final Inventory inventory;
    /** The open connections, by host name, lent to each round; closed when dropped or by {@link #close()}. */
    private final Map<String, Connection> kept = new ConcurrentHashMap<>();
    /** The daemon each kept host was resolved to (the identity probe is not run again on its connection). */
    private final Map<String, Daemon> daemons = new ConcurrentHashMap<>();
    /** Hosts the round in progress could not probe (their connection is dropped before the next). */
    private final Set<String> failed = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** @param request its connector opens the hosts (SSH in {@link #open}; in-memory hosts in tests) */
    VerifyRound(VerifyRequest request, Consumer<String> progress) throws InventoryException, RenderException {
        this.request = request;
        this.progress = progress;
        this.selection = VerifyJob.of(request, progress, () -> closed).select();
        this.inventory = request.inventory();
    }

    /**
     * @param progress verify's progress lines (stderr); a single round prints none unless it waits
     * @throws InventoryException --limit is invalid or matches nothing
     * @throws RenderException    a template does not render for a selected host
     * @throws TransportException no host could be opened at all (an unreadable --known-hosts, a prompt without a
     *                            terminal)
     */
    public static VerifyRound open(Inventory inventory, ConfigRenderer renderer, String limit, TransportOptions options,
                                   Consumer<String> progress)
            throws InventoryException, RenderException, TransportException {
        Connector ssh = Connector.ssh(options);
        VerifyRound round = new VerifyRound(new VerifyRequest(inventory, renderer, limit,
                VerifyRequest.Settings.once(options.commandTimeout(), options.forks()), ssh), progress);
        ssh.prepare(); // credentials, prompts and host keys, now rather than in the first round
        return round;
    }

    @Override
    public OptionalDouble offsetLimitMs(String host) {
        return inventory.maxOffsetMs(host);
    }

    /** The hosts each round reports (--limit). */
    public List<Host> reported() {
        return selection.reported();
    }

    @Override
    public VerifyResult run() throws Exception {
        stopIfClosed();
        kept.forEach((host, c) -> {
            if (failed.contains(host) || !c.isUsable()) {
                drop(host);
            }
        });
        failed.clear();
        Map<String, String> unreachable = connectMissing();
        Map<String, Connection> lent = new LinkedHashMap<>();
        kept.forEach((host, c) -> lent.put(host, new Watched(host, c)));
        VerifyJob job = VerifyJob.of(new VerifyRequest(inventory, request.renderer(), request.limit(),
                request.settings(), request.connector(), lent, unreachable, daemons), progress, () -> closed);
        VerifyResult result = job.run(selection);
        daemons.putAll(job.resolvedDaemons());
        for (HostVerdict h : result.hosts()) {
            if (h.verdict() == Verdict.UNREACHABLE) {
                failed.add(h.host());
            } else if (h.verdict() == Verdict.DAEMON_DOWN) {
                daemons.remove(h.host());
            }
        }
        return result;
    }

    /** Opens the probed hosts that have no kept connection; returns those that could not be opened, with why. */
    private Map<String, String> connectMissing() throws TransportException, InterruptedException {
        List<Host> missing = selection.probed().stream().filter(h -> !kept.containsKey(h.name())).toList();
        if (missing.isEmpty()) {
            return Map.of();
        }
        Connector.Opened opened = request.connector().openAll(missing);
        kept.putAll(opened.connected());
        stopIfClosed(); // close() ran while these were opening: they are closed with the others
        return opened.unreachable();
    }

    private void stopIfClosed() throws InterruptedException {
        if (closed) {
            kept.keySet().forEach(this::drop);
            throw new InterruptedException("watch is stopping");
        }
    }

    /** Closes and forgets a host's connection and its daemon (a host connected again may have been reinstalled). */
    private void drop(String host) {
        Connection c = kept.remove(host);
        daemons.remove(host);
        if (c != null) {
            c.close();
        }
    }

    /** Closes the kept connections, which unblocks a running round; later rounds do not start. */
    @Override
    public void close() {
        closed = true;
        kept.keySet().forEach(this::drop);
    }

    /**
     * A kept connection lent to one round, noting a command that failed (the link, or sudo: its host is UNREACHABLE),
     * also on a master that --limit probes but does not report.
     */
    private final class Watched implements Connection {
        private final String name;
        private final Connection c;

        Watched(String name, Connection c) {
            this.name = name;
            this.c = c;
        }

        @Override
        public String host() {
            return c.host();
        }

        @Override
        public ExecResult exec(String command, byte[] stdin, Duration timeout) throws IOException {
            try {
                return c.exec(command, stdin, timeout);
            } catch (IOException e) {
                failed.add(name);
                throw e;
            }
        }

        @Override
        public ExecResult execPrivileged(String command, byte[] stdin, Duration timeout) throws IOException {
            try {
                return c.execPrivileged(command, stdin, timeout);
            } catch (IOException e) {
                failed.add(name);
                throw e;
            }
        }

        @Override
        public boolean isUsable() {
            return c.isUsable();
        }

        @Override
        public void close() {
            // lent: the round never closes it; VerifyRound does
        }
    }
}
