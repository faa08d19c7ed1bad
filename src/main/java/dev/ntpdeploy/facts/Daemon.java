package dev.ntpdeploy.facts;

import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.NtpSpec;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A host's time daemon as this run resolved it, once, from the inventory and the host's facts: which family, the
 * config file it reads, its service, how services are restarted there, its program. Apply plans with it, verify
 * probes its config path, and every fix text names its service and path (never a hard-coded {@code ntp}).
 *
 * @param manager {@link ServiceManager#UNKNOWN} when the host's identity was not probed (a declared flavor in verify)
 */
public record Daemon(Flavor flavor, String confPath, String service, ServiceManager manager, String binary) {

    public Daemon {
        Objects.requireNonNull(flavor, "flavor");
        Objects.requireNonNull(confPath, "confPath");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(binary, "binary");
    }

    /** The resolved daemon, or why this host's daemon cannot be configured. */
    public record Resolution(Optional<Daemon> daemon, String problem) {

        static Resolution of(Daemon d) {
            return new Resolution(Optional.of(d), null);
        }

        static Resolution problem(String problem) {
            return new Resolution(Optional.empty(), problem);
        }
    }

    /**
     * The one resolver: the inventory's declarations win (ntp_flavor, ntp_conf_path, ntp_service), the host's facts
     * fill in the rest (detected flavor for auto, the service name that exists there, the service manager).
     *
     * @param facts the host's identity facts ({@link ConfigProbe}); empty when not probed, which only a host whose
     *              flavor is declared can do without
     */
    public static Resolution resolve(NtpSpec ntp, Optional<ProbeFacts> facts) {
        Flavor flavor;
        if (ntp.flavor().isPresent()) {
            flavor = ntp.flavor().get();
        } else if (facts.isEmpty()) {
            return Resolution.problem("ntp_flavor is auto and the host was not probed for its daemon");
        } else {
            ProbeFacts.Detection d = facts.get().detectFlavor();
            if (d.flavor().isEmpty()) {
                return Resolution.problem(d.problem());
            }
            flavor = d.flavor().get();
        }
        Set<String> units = facts.map(ProbeFacts::services).orElse(Set.of());
        List<String> osId = facts.map(ProbeFacts::osId).orElse(List.of());
        return Resolution.of(new Daemon(flavor, ntp.confPathFor(flavor, osId),
                ntp.service().orElseGet(() -> flavor.service(units, osId)),
                facts.map(ProbeFacts::manager).orElse(ServiceManager.UNKNOWN), flavor.binary()));
    }

    /**
     * What verify assumes for a host whose daemon could not be resolved (auto, and no ntpd found): the default
     * flavor's layout, so the probe looks where a fresh install would put the file and the judge reports what is
     * missing. Never used to write anything.
     */
    public static Daemon assumed(NtpSpec ntp) {
        Flavor f = ntp.flavor().orElse(Flavor.NTPSEC);
        return new Daemon(f, ntp.confPathFor(f), ntp.service().orElseGet(() -> f.service(Set.of(), List.of())),
                ServiceManager.UNKNOWN, f.binary());
    }
}
