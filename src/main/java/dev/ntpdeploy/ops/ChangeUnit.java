package dev.ntpdeploy.ops;

import dev.ntpdeploy.Sha256;
import dev.ntpdeploy.facts.RemoteScript;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.transport.RemoteCommand;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One host's change as ONE remote command that the host completes by itself: take the host's lock, receive the
 * file and check its length and sha256, then (detached from the SSH session) compare and swap, back up, rename,
 * restart, check the daemon's start and roll back a rejected file. The script is
 * {@code src/main/resources/remote/change-unit.sh}; its report is parsed by {@link UnitReport}.
 *
 * @param target      the config file
 * @param put         the new content, mode and owner; empty for a restart alone
 * @param expectedSha the file's sha256 as this run's probe read it ({@code "absent"} when there was none): the
 *                    install fails when the file is no longer that (another run or a hand edit changed it since)
 * @param restart     restart and check the daemon afterwards
 * @param keepBackups visible backups kept beside the file ({@code <file>.ntpdeploy-<timestamp>}), 0 for none
 * @param places      the host's lock file and state directory
 * @param sole        the daemon's unit enabled and the host's other time daemons stopped and disabled, last, once the
 *                    daemon runs its config
 * @param flavor      the daemon's family: its config check ({@link Flavor#configChecker()}: {@code chronyd -p -f} on
 *                    the upload, before anything is installed) and its config error lines
 */
public record ChangeUnit(String target, Optional<PutFile> put, String expectedSha, Optional<RestartService> restart,
                         int keepBackups, RunId run, Places places, Optional<SoleDaemon> sole, Flavor flavor) {

    /** Where the unit keeps its lock and its reports on the host (tests point these at a temp directory). */
    public record Places(String lock, String state) {
        public static final Places HOST = new Places("/run/lock/ntpdeploy.lock", "/run/ntpdeploy");
    }

    /** What the detached part may take at most (a restart check waits up to ~15 s, twice with a rollback). */
    public static final Duration BUDGET = Duration.ofSeconds(90);
    /** The whole command's budget: the detached part plus the upload. */
    public static final Duration TIMEOUT = BUDGET.plusSeconds(30);

    private static final Pattern MODE = Pattern.compile("[0-7]{3,4}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*\\$?");
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{64}|absent");
    private static final String SCRIPT = RemoteScript.file("change-unit.sh");

    public ChangeUnit {
        if (!target.startsWith("/") || target.endsWith("/")) {
            throw new IllegalArgumentException("not an absolute file path: " + target);
        }
        if (!SHA.matcher(expectedSha).matches()) {
            throw new IllegalArgumentException("expected sha256 must be 64 hex digits or 'absent': " + expectedSha);
        }
        put.ifPresent(p -> {
            if (!p.path().equals(target)) {
                throw new IllegalArgumentException("file " + p.path() + " is not the unit's target " + target);
            }
            if (!MODE.matcher(p.mode()).matches()) {
                throw new IllegalArgumentException("bad file mode: " + p.mode());
            }
            if (!NAME.matcher(p.owner()).matches() || !NAME.matcher(p.group()).matches()) {
                throw new IllegalArgumentException("bad owner/group: " + p.owner() + ":" + p.group());
            }
        });
        if (keepBackups < 0) {
            throw new IllegalArgumentException("keepBackups must not be negative");
        }
    }

    /** A unit that leaves the host's other time daemons alone. */
    public ChangeUnit(String target, Optional<PutFile> put, String expectedSha, Optional<RestartService> restart,
                      int keepBackups, RunId run, Places places) {
        this(target, put, expectedSha, restart, keepBackups, run, places, Optional.empty());
    }

    /** An ntpd's unit. */
    public ChangeUnit(String target, Optional<PutFile> put, String expectedSha, Optional<RestartService> restart,
                      int keepBackups, RunId run, Places places, Optional<SoleDaemon> sole) {
        this(target, put, expectedSha, restart, keepBackups, run, places, sole, Flavor.NTPSEC);
    }

    /** What the command reads on stdin: the new file's bytes, or nothing for a restart alone. */
    public byte[] stdin() {
        return put.map(PutFile::content).orElse(null);
    }

    /** The command to run privileged, with stdin {@link #stdin()} and a budget of {@link #TIMEOUT}. */
    public String command() {
        return command(RemoteScript.asFunction("restart_check", "restart-check.sh"));
    }

    /**
     * As {@link #command()} with another {@code restart_check} function (tests run the unit without a daemon). The
     * unit's text is fixed (common.sh, the function, change-unit.sh); every value is one of its arguments, set as
     * positional parameters in front of it and handed to its detached part the same way.
     */
    String command(String restartCheckFunction) {
        String dir = target.substring(0, target.lastIndexOf('/'));
        byte[] content = put.map(PutFile::content).orElse(new byte[0]);
        List<String> args = List.of(
                target,
                dir.isEmpty() ? "/" : dir,
                put.map(PutFile::mode).orElse(""),
                put.map(p -> p.owner() + ":" + p.group()).orElse(""),
                put.isPresent() ? Integer.toString(content.length) : "",
                put.isPresent() ? Sha256.hex(content) : "",
                expectedSha,
                Integer.toString(keepBackups),
                restart.isPresent() ? "1" : "0",
                restart.flatMap(r -> r.oldPid().isPresent()
                        ? Optional.of(Long.toString(r.oldPid().getAsLong())) : Optional.empty()).orElse(""),
                run.id(),
                run.ownerLine(),
                places.lock(),
                places.state(),
                flavor.configErrorEre(),
                Long.toString(BUDGET.toSeconds()),
                restart.map(RestartService::service).or(() -> sole.map(SoleDaemon::service)).orElse(""),
                restart.map(r -> r.manager().word()).or(() -> sole.map(c -> c.manager().word())).orElse(""),
                sole.map(SoleDaemon::argument).orElse(""),
                sole.map(c -> c.restartAfter() ? "1" : "0").orElse("0"),
                sole.flatMap(c -> c.managedPid().isPresent()
                        ? Optional.of(Long.toString(c.managedPid().getAsLong())) : Optional.empty()).orElse(""),
                sole.map(c -> c.enableManaged() ? "1" : "0").orElse("0"),
                flavor.configChecker(),
                restart.map(RestartService::program).orElse(flavor.binary()));
        String unit = RemoteScript.file("common.sh") + restartCheckFunction + SCRIPT;
        return new RemoteScript("change-unit.sh", "unit=" + RemoteCommand.quote(unit) + "\nphase=stage\neval \"$unit\"\n")
                .command(args);
    }
}
