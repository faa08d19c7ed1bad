package dev.ntpdeploy.verify;

/**
 * How bad a finding is (monitoring-plugins words). INFO is a fact worth showing that asks nothing of anyone: it
 * leaves the host's status OK (a check that could not be made, hosts a master serves beyond the inventory).
 */
public enum Severity {
    INFO,
    WARNING,
    CRITICAL
}
