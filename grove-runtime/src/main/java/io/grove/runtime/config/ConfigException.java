package io.grove.runtime.config;

/** A configuration value or file that cannot be used; the message names the key or file and what to do. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
