package dev.ntpdeploy.playbook;

/** An invalid playbook: one line naming file:line:column, the key or value, and the fix. Nothing was contacted. */
public class PlaybookException extends Exception {

    public PlaybookException(String message) {
        super(message);
    }
}
