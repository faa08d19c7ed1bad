package dev.ntpdeploy.inventory;

import java.nio.file.Path;

/** A place in an inventory file, kept on every bound value so later errors can still point at a line. */
public record SourcePos(Path file, int line, int column) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
