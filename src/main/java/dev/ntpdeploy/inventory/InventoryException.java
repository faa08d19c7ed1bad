package dev.ntpdeploy.inventory;

/** An invalid inventory: the message is one line naming file:line:column, the key or value, and the fix. */
public class InventoryException extends Exception {

    public InventoryException(String message) {
        super(message);
    }
}
