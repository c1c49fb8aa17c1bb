package io.grove.runtime.plugin;

/** A plugin cannot be loaded or an instance cannot be created; the message names the plugin and the reason. */
public final class PluginException extends RuntimeException {
    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
