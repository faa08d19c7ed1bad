package dev.ntpdeploy.playbook;

/**
 * One item of a play's {@code serial}: a number of hosts, or a percentage of the play's hosts ({@code "20%"}).
 * How many hosts it makes is {@code engine.Batches}' arithmetic (Ansible's).
 *
 * @param value   hosts, or percent when {@code percent}; never negative (0 hosts: every remaining host, as Ansible)
 */
public record BatchSize(long value, boolean percent) {

    public static BatchSize hosts(long n) {
        return new BatchSize(n, false);
    }

    public static BatchSize percent(long pct) {
        return new BatchSize(pct, true);
    }

    @Override
    public String toString() {
        return value + (percent ? "%" : "");
    }
}
