package dev.ntpdeploy.facts;

/**
 * Why ntpq printed no table: each maps to one cause an operator recognises. The texts differ between classic ntpd
 * and NTPsec (e.g. "ntpq: read: Connection refused" vs "***Socket error; probably ntpd is not running"); each
 * constant names both.
 */
public enum NtpqError {
    /** Nothing listens on UDP 123 ("Connection refused", "Socket error"): ntpd is not running. */
    NOT_LISTENING,
    /** No mode-6 reply ("timed out", "Request timed out"): noquery/missing restrict 127.0.0.1/::1, or another daemon owns the port. */
    NO_REPLY,
    /** The host argument (localhost) did not resolve. */
    LOOKUP_FAILED,
    /** A partial reply ("incomplete"): transient, retry. */
    INCOMPLETE,
    /** The server refused the request (UNKNOWNVAR, authentication). */
    SERVER_ERROR,
    /** ntpq is not installed (exit 127, "command not found"). */
    NTPQ_MISSING
}
