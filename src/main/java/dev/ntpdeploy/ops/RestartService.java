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
 * @param service unit/script name (ntpsec, ntp, ntpd, chrony, chronyd or the inventory's ntp_service)
 * @param manager how to restart it
 * @param oldPid  the daemon's PID before the restart (to wait for a new one and find its log)
 * @param reason  why it is needed
 * @param program the daemon's program (ntpd, chronyd): which process the restart check waits for
 */
public record RestartService(String service, ServiceManager manager, OptionalLong oldPid, Reason reason,
                             String program) implements Step {

    /** An ntpd's restart. */
    public RestartService(String service, ServiceManager manager, OptionalLong oldPid, Reason reason) {
        this(service, manager, oldPid, reason, "ntpd");
    }

    /** Why the daemon is (re)started. */
    public enum Reason {
        /** The config's content changes in this run. */
        CONFIG_CHANGED("config changed"),
        /** No daemon runs. */
        NOT_RUNNING("%s not running"),
        /** The daemon runs but started before its config file last changed: it never read it. */
        STALE("config changed after %s started");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        /** As operators read it, naming the daemon's program. */
        public String text(String program) {
            return text.replace("%s", program);
        }
    }

    /**
     * The restart needed for the host's daemon to run the config on disk after this run: when the content changes,
     * when the daemon (ntpd or chronyd, by flavor) does not run, or when the running one started before the file last
     * changed (an interrupted run, a hand edit); empty otherwise (a mode/owner fix alone does not change what the
     * daemon reads).
     *
     * @param contentChanges this run writes other bytes to the config
     */
    public static Optional<RestartService> plan(Daemon daemon, ProbeFacts facts, boolean contentChanges) {
        OptionalLong pid = facts.daemonPid(daemon.flavor());
        Reason reason = contentChanges ? Reason.CONFIG_CHANGED
                : pid.isEmpty() ? Reason.NOT_RUNNING
                : facts.configChangedAfterStart(daemon.flavor(), daemon.confPath()) ? Reason.STALE : null;
        return Optional.ofNullable(reason)
                .map(r -> new RestartService(daemon.service(), daemon.manager(), pid, r, daemon.binary()));
    }

    /** Why, as operators read it. */
    public String why() {
        return reason.text(program);
    }

    @Override
    public String describe() {
        return (oldPid.isPresent() ? "restarted " : "started ") + service;
    }
}
