package dev.ntpdeploy.transport;

import java.io.IOException;

/**
 * The host was reached and logged into, but sudo refused to run the step as the become user (wrong or missing
 * password, not in sudoers, no sudo). Not a {@link TransportException}: the host is failed, with sudo advice, not
 * unreachable with SSH advice. The message is one line for the operator, naming the host and the fix.
 */
public class BecomeException extends IOException {

    public BecomeException(String message) {
        super(message);
    }
}
