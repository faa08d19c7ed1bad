package dev.ntpdeploy.transport;

import java.io.IOException;

/** A host could not be reached or authenticated; the message is for the operator (fingerprint, fix). */
public class TransportException extends IOException {

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
