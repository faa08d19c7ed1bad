package dev.ntpdeploy.verify;

/** How bad a finding is (monitoring-plugins words). */
public enum Severity {
    WARNING,
    CRITICAL
}
