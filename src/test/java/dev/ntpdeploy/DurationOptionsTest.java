package dev.ntpdeploy;

import static dev.ntpdeploy.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every option that takes a duration reads the one grammar (90, 90s, 5m, 1h30m, 1d): once `--every 300` was refused
 * while `--sync-timeout 300` worked, and `--sync-timeout 1d` was refused while `--every 1d` worked.
 */
class DurationOptionsTest {

    /** Each command with its duration options, and arguments that stop it right after parsing (nothing contacted). */
    private static final List<List<String>> OPTIONS = List.of(
            List.of("apply", "missing.yml", "--sync-timeout", "--timeout", "--command-timeout"),
            List.of("verify", "missing.yml", "--sync-timeout", "--timeout", "--command-timeout"),
            List.of("watch", "missing.yml", "--every", "--on-change-timeout", "--timeout", "--command-timeout"));

    @Test
    void everyDurationOptionTakesEveryForm() {
        for (List<String> command : OPTIONS) {
            for (String option : command.subList(2, command.size())) {
                for (String value : List.of("300", "90s", "5m", "1h30m", "1d")) {
                    List<String> args = new ArrayList<>(command.subList(0, 2));
                    args.addAll(List.of(option, value, "--metrics-listen", "none"));
                    if (!command.get(0).equals("watch")) {
                        args.remove(args.size() - 1);
                        args.remove(args.size() - 1);
                    }
                    CliRun r = run(args.toArray(String[]::new));
                    // parsed: the command went on to read the inventory, which does not exist
                    assertTrue(r.err().contains("missing.yml"), args + ": " + r.err());
                    assertFalse(r.err().contains("invalid duration"), args + ": " + r.err());
                }
            }
        }
    }

    @Test
    void aBadDurationNamesTheOptionAndTheForms() {
        for (List<String> command : OPTIONS) {
            for (String option : command.subList(2, command.size())) {
                CliRun r = run(command.get(0), "missing.yml", option, "soon");
                assertEquals(command.get(0).equals("verify") ? Exit.UNKNOWN.code() : Exit.USAGE.code(), r.code(), r.err());
                assertEquals(1, r.err().lines().count(), r.err());
                assertTrue(r.err().contains(option) && r.err().contains("invalid duration 'soon'")
                        && r.err().contains(Durations.FORMS), r.err());
            }
        }
        CliRun zero = run("watch", "missing.yml", "--every", "0");
        assertTrue(zero.err().contains("must be longer than 0s"), zero.err());
        CliRun schedule = run("schedule", "inventories/example.yml", "--every", "300", "--print", "cron");
        assertEquals(0, schedule.code(), schedule.err());
        assertTrue(schedule.out().contains("*/5 * * * * "), schedule.out());
    }
}
