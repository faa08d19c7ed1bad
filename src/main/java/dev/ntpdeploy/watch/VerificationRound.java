package dev.ntpdeploy.watch;

import dev.ntpdeploy.verify.VerifyResult;
import java.util.OptionalDouble;

/**
 * The seam between watch and verify: one verification of the fleet (connect, probe each host, judge).
 * Watch calls {@link #run()} once per interval, never twice at once, always from the same thread,
 * and {@link #close()} once when it stops (also after abandoning a round: close must unblock a running one).
 *
 * <p>A host's failure (SSH, parse, timeout) belongs in its verdict; an exception means the round could not judge the
 * fleet at all, and watch records it as an UNKNOWN round and carries on. An implementation may keep connections
 * between rounds or open them per round.
 */
@FunctionalInterface
public interface VerificationRound extends AutoCloseable {

    VerifyResult run() throws Exception;

    /** The host's offset limit in ms ({@code ntp_max_offset_ms}), exported beside its offset; empty when not known. */
    default OptionalDouble offsetLimitMs(String host) {
        return OptionalDouble.empty();
    }

    /** Releases what the rounds hold (connections); called once, possibly while a round is still running. */
    @Override
    default void close() {
    }
}
