package dev.ntpdeploy.render;

/** A template could not be rendered: names the template file and line and what is missing. */
public class RenderException extends Exception {

    public RenderException(String message) {
        super(message);
    }
}
