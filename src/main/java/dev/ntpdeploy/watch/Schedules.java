package dev.ntpdeploy.watch;

import dev.ntpdeploy.Durations;
import dev.ntpdeploy.transport.RemoteCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code ntpdeploy schedule}: the systemd service + timer pair, or the crontab line, that runs
 * {@code ntpdeploy verify INVENTORY} one-shot every interval, for operators who prefer their own scheduler.
 */
public final class Schedules {

    private static final Pattern UNIT_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,200}");
    private static final Pattern SYSTEMD_BARE = Pattern.compile("[A-Za-z0-9/._+:,@=-]+");
    private static final Pattern SHELL_BARE = Pattern.compile("[A-Za-z0-9/._+:,@=-]+");

    private Schedules() {
    }

    /**
     * How this ntpdeploy is started, as absolute argv: {@code bin/ntpdeploy} of the installation (system property
     * {@code ntpdeploy.home}, set by that launcher, or the directory above the jar's), else
     * {@code <java.home>/bin/java -jar <jar>}.
     */
    public static List<String> launcher() {
        String home = System.getProperty("ntpdeploy.home");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "ntpdeploy"))) {
            return List.of(Path.of(home, "bin", "ntpdeploy").toAbsolutePath().normalize().toString());
        }
        Path code;
        try {
            code = Path.of(Schedules.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toAbsolutePath().normalize();
        } catch (Exception e) {
            throw new IllegalStateException("cannot tell where ntpdeploy is installed: run it through bin/ntpdeploy "
                    + "or java -jar ntpdeploy.jar", e);
        }
        // target/ntpdeploy.jar or target/classes -> the installation with its bin/ntpdeploy
        Path install = code.getParent() == null ? null : code.getParent().getParent();
        if (install != null && Files.isExecutable(install.resolve("bin/ntpdeploy"))) {
            return List.of(install.resolve("bin/ntpdeploy").toString());
        }
        Path jar = code;
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("ntpdeploy runs from " + jar + ", not from its jar: run schedule "
                    + "through bin/ntpdeploy or java -jar ntpdeploy.jar, so the unit can name it");
        }
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString());
    }

    /** The verify command line a scheduler runs: the launcher, "verify" and the inventory's absolute path. */
    public static List<String> verifyCommand(List<String> launcher, Path inventory) {
        return verifyCommand(launcher, inventory, List.of());
    }

    /** As {@link #verifyCommand(List, Path)}, then verify's own options as given (already checked by verify's parser). */
    public static List<String> verifyCommand(List<String> launcher, Path inventory, List<String> verifyOptions) {
        List<String> argv = new ArrayList<>(launcher);
        argv.add("verify");
        argv.add(inventory.toAbsolutePath().normalize().toString());
        argv.addAll(verifyOptions);
        return argv;
    }

    /** A service and a timer, each under a comment naming the file to copy it to. */
    public static String systemd(String name, List<String> argv, Path inventory, Duration every) {
        if (!UNIT_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid unit name '" + name + "': use letters, digits and _ . : -");
        }
        if (every.getSeconds() < 1) {
            throw new IllegalArgumentException("--every must be at least 1s for systemd timers");
        }
        String span = systemdSpan(every);
        String inv = inventory.toAbsolutePath().normalize().toString();
        return "# --- /etc/systemd/system/" + name + ".service ---\n"
                + "[Unit]\n"
                + "Description=ntpdeploy verify: NTP sync of the fleet in " + escapeSpecifiers(inv) + "\n"
                + "Wants=network-online.target\n"
                + "After=network-online.target\n"
                + "\n"
                + "[Service]\n"
                + "Type=oneshot\n"
                + "ExecStart=" + argv.stream().map(Schedules::systemdQuote).reduce((a, b) -> a + " " + b).orElseThrow()
                + "\n"
                + "# verify exits 1 WARNING, 2 CRITICAL, 3 UNKNOWN: the run then shows as failed (OnFailure= can page)\n"
                + "TimeoutStartSec=" + systemdSpan(every.compareTo(Duration.ofMinutes(1)) < 0
                        ? Duration.ofMinutes(1) : every) + "\n"
                + "NoNewPrivileges=yes\n"
                + "PrivateTmp=yes\n"
                + "ProtectSystem=full\n"
                + "ProtectKernelTunables=yes\n"
                + "ProtectKernelModules=yes\n"
                + "ProtectControlGroups=yes\n"
                + "RestrictSUIDSGID=yes\n"
                + "LockPersonality=yes\n"
                + "# no ProtectHome=: the SSH key and known_hosts usually live in the running user's ~/.ssh\n"
                + "\n"
                + "# --- /etc/systemd/system/" + name + ".timer ---\n"
                + "[Unit]\n"
                + "Description=Run " + name + ".service every " + span + "\n"
                + "\n"
                + "[Timer]\n"
                + "OnBootSec=" + span + "\n"
                + "OnUnitActiveSec=" + span + "\n"
                + "AccuracySec=1s\n"
                + "Unit=" + name + ".service\n"
                + "\n"
                + "[Install]\n"
                + "WantedBy=timers.target\n"
                + "\n"
                + "# install: systemctl daemon-reload && systemctl enable --now " + name + ".timer\n";
    }

    /** A crontab line (crontab -e) running verify every interval. */
    public static String cron(List<String> argv, Duration every) {
        String schedule = cronSchedule(every);
        String cmd = argv.stream().map(Schedules::cronQuote).reduce((a, b) -> a + " " + b).orElseThrow();
        return "# ntpdeploy verify every " + Durations.format(every)
                + " (crontab -e; in /etc/cron.d add a user field after the schedule).\n"
                + "# stdout (the table) is dropped; when the fleet is not OK verify writes its status line to stderr,\n"
                + "# which cron mails (MAILTO=), as it does any error: an OK run is silent. Exit code 0/1/2/3 as for "
                + "Nagios.\n"
                + schedule + " " + cmd + " >/dev/null\n";
    }

    /** The five cron fields for an interval cron can run evenly, else a one-line error naming what it can. */
    static String cronSchedule(Duration every) {
        long secs = every.getSeconds();
        if (secs < 60 || every.getNano() != 0 || secs % 60 != 0) {
            throw new IllegalArgumentException("cron cannot run every " + Durations.format(every)
                    + ": it counts whole minutes (at least 1m); use --print systemd (its timers take seconds) "
                    + "or ntpdeploy watch");
        }
        long minutes = secs / 60;
        if (minutes < 60 && 60 % minutes == 0) {
            return minutes == 1 ? "* * * * *" : "*/" + minutes + " * * * *";
        }
        if (minutes % 60 == 0) {
            long hours = minutes / 60;
            if (hours < 24 && 24 % hours == 0) {
                return hours == 1 ? "0 * * * *" : "0 */" + hours + " * * *";
            }
            if (hours == 24) {
                return "0 0 * * *";
            }
        }
        throw new IllegalArgumentException("cron cannot run every " + Durations.format(every)
                + " evenly: minutes must divide an hour (1m 2m 3m 4m 5m 6m 10m 12m 15m 20m 30m) and hours a day "
                + "(1h 2h 3h 4h 6h 8h 12h 1d); use one of those or --print systemd");
    }

    /** systemd's own time span syntax: "1h 30min", "45s". */
    static String systemdSpan(Duration d) {
        return Durations.format(d, new String[] {"d", "h", "min", "s"}, " ");
    }

    /** One ExecStart= word: bare when safe, else double-quoted; % and $ escaped for systemd. */
    static String systemdQuote(String arg) {
        rejectControl(arg);
        String escaped = escapeSpecifiers(arg).replace("$", "$$");
        if (SYSTEMD_BARE.matcher(arg).matches()) {
            return escaped;
        }
        return "\"" + escaped.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** One sh word for a crontab: bare when safe, else single-quoted; % escaped (cron turns it into a newline). */
    static String cronQuote(String arg) {
        rejectControl(arg);
        String word = SHELL_BARE.matcher(arg).matches() ? arg : RemoteCommand.quote(arg);
        return word.replace("%", "\\%");
    }

    private static String escapeSpecifiers(String s) {
        return s.replace("%", "%%");
    }

    private static void rejectControl(String arg) {
        Optional<Integer> bad = arg.chars().filter(c -> c < 0x20 || c == 0x7f).boxed().findFirst();
        if (bad.isPresent()) {
            throw new IllegalArgumentException("cannot schedule a path with control characters: " + arg.strip());
        }
    }
}
