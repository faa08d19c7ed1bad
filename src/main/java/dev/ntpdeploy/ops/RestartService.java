package dev.ntpdeploy.ops;

import dev.ntpdeploy.facts.Daemon;
import dev.ntpdeploy.facts.ProbeFacts;
import dev.ntpdeploy.facts.ServiceManager;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Ensures the daemon runs on the current config: restart it through the host's service manager, then check it came
 * back and logged no config error for this start (remote/restart-check.sh, inside the {@link ChangeUnit}). Plans
 * itself like an Ansible handler: {@link #plan} restarts only when the daemon does not run what is on disk.
 *
 * @param service unit/script name (ntpsec, ntp, ntpd or the inventory's ntp_service)
 * @param manager how to restart it
 * @param oldPid  the daemon's PID before the restart (to wait for a new one and find its log)
 * @param reason  why it is needed
 */
public record RestartService(String service, ServiceManager manager, OptionalLong oldPid, Reason reason)
        implements Step {

    /** Why the daemon is (re)started. */
    public enum Reason {
        /** The config's content changes in this run. */
        CONFIG_CHANGED("config changed"),
        /** No daemon runs. */
        NOT_RUNNING("ntpd not running"),
        /** The daemon runs but started before its config file last changed: it never read it. */
        STALE("config changed after ntpd started");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        /** As operators read it. */
        public String text() {
            return text;
        }
    }

    /**
     * The restart needed for the host's daemon to run the config on disk after this run: when the content changes,
     * when no ntpd runs, or when the running one started before the file last changed (an interrupted run, a hand
     * edit); empty otherwise (a mode/owner fix alone does not change what ntpd reads).
     *
     * @param contentChanges this run writes other bytes to the config
     */
    public static Optional<RestartService> plan(Daemon daemon, ProbeFacts facts, boolean contentChanges) {
        Reason reason = contentChanges ? Reason.CONFIG_CHANGED
                : !facts.ntpdRunning() ? Reason.NOT_RUNNING
                : facts.configChangedAfterStart(daemon.confPath()) ? Reason.STALE : null;
        return Optional.ofNullable(reason)
                .map(r -> new RestartService(daemon.service(), daemon.manager(), facts.ntpdPid(), r));
    }

    @Override
    public String describe() {
        return (oldPid.isPresent() ? "restarted " : "started ") + service;
    }
}
