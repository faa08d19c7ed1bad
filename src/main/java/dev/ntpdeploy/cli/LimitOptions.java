package dev.ntpdeploy.cli;

import picocli.CommandLine.Option;

/** {@code -l/--limit PATTERN}, for every command that works on part of the fleet: {@code @Mixin LimitOptions limit;}. */
public final class LimitOptions {

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", defaultValue = "all",
            description = "Only these hosts: an Ansible host pattern, e.g. 'clients:!c3', 'web*', 'masters[0]',"
                    + " @hosts.txt (default: all).")
    String pattern;

    public String pattern() {
        return pattern;
    }
}
