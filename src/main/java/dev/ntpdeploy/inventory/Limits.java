package dev.ntpdeploy.inventory;

/**
 * The size limits of an inventory, in one place. Each is far above what a real inventory reaches, so
 * only a mistake (a generated file gone wrong, the wrong file, a pasted blob) meets one; together they
 * bound the loader's time and memory, which grow with hosts x (their groups + their variables).
 * Reference point: a 10,000-host fleet written one host per line with its address is about 0.5 MB.
 */
final class Limits {

    /** 4 MiB: eight times that 10,000-host fleet; also bounds the YAML parser, which slows on huge tokens. */
    static final int FILE_BYTES = 4 * 1024 * 1024;

    /** Any key or value: PATH_MAX for a key file's path; names stop at 253, ntpd's lines at 1024. */
    static final int SCALAR_CHARS = 4096;

    /** Any list: ntpd uses at most a handful of upstreams; 1,000 ntp_allow networks is already a firewall's job. */
    static final int LIST_ITEMS = 1000;

    /** Nested mappings and lists: ten levels of nested groups with a host and a list are about 25. */
    static final int NESTING = 64;

    /** Hosts in one inventory: one controller pushing to more is a run of hours; split the fleet. */
    static final int HOSTS = 10_000;

    /** Groups, counting all, masters and clients: a group per rack of a 10,000-host fleet is 250. */
    static final int GROUPS = 10_000;

    /** Groups one host is in, directly or through nesting: real hosts are in a dozen or two. */
    static final int GROUPS_PER_HOST = 250;

    /** Variable declarations one host sees (its own and every group's, overridden ones too): real hosts see tens. */
    static final int VARS_PER_HOST = 1000;

    private Limits() {
    }

    /** {@code WHERE: WHAT, over ntpdeploy's limit of N UNIT (FIX)}: the place, the limit, and what to do. */
    static InventoryException exceeded(Object where, String what, int limit, String unit, String fix) {
        return new InventoryException(where + ": " + what + ", over ntpdeploy's limit of " + Excerpt.count(limit)
                + " " + unit + " (" + fix + ")");
    }
}
