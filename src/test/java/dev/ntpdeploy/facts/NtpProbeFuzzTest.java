package dev.ntpdeploy.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ntpdeploy.FuzzSeeds;
import dev.ntpdeploy.TestInventories;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.verify.HostInput;
import dev.ntpdeploy.verify.TopologyJudge;
import dev.ntpdeploy.verify.VerifyResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What verify does with one host's probe output, end to end without SSH: any text parses to an observation
 * ({@link NtpProbe}: sections, exit code, processes, sockets, config hash, log lines) and the topology judge gives
 * every host a verdict from it, as a master and as a client; nothing throws (issue 11, defect 3). See
 * docs/fuzzing.md.
 */
class NtpProbeFuzzTest {

    private static final Inventory INVENTORY = TestInventories.isolated("ntpsec", 1);
    private static final Optional<String> RENDERED = Optional.of("0".repeat(64));
    private static final Daemon DAEMON = new Daemon(dev.ntpdeploy.inventory.Flavor.NTPSEC, "/etc/ntpsec/ntp.conf",
            "ntpsec", ServiceManager.SYSTEMD, "ntpd");

    static Stream<Arguments> captures() {
        return FuzzSeeds.captures("probe", "ntpq-samples", "ntpd-log");
    }

    @MethodSource("captures")
    @FuzzTest
    void anyProbeOutputIsJudged(byte[] output) {
        String text = new String(output, StandardCharsets.UTF_8);
        NtpProbe.started(text);
        HostObservation o = NtpProbe.parse(text);
        assertNotNull(o);
        o.ntpdRunning();
        o.ntpdUptimeSeconds();
        o.configChangedAfterStart();
        Map<String, HostInput> inputs = new LinkedHashMap<>(); // not Map.of: its order changes from JVM to JVM
        inputs.put("m1", new HostInput.Reached(o, RENDERED, DAEMON));
        inputs.put("c1", new HostInput.Reached(o, Optional.empty(), DAEMON));
        VerifyResult judged = TopologyJudge.judge(INVENTORY, inputs);
        assertEquals(2, judged.hosts().size(), judged.toString());
        TopologyJudge.judgeAfterWaiting(INVENTORY, inputs, Duration.ofMinutes(5));
    }

    /** One master without upstream (orphan) and one client: both roles' rules run on the fuzzed observation. */
}
