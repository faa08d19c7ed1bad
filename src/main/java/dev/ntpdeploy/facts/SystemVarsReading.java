package dev.ntpdeploy.facts;

/** The result of {@code ntpq -c rv}: the system variables, or why they could not be read. */
public sealed interface SystemVarsReading permits SystemVars, NtpqFailed, Unparseable {
}
