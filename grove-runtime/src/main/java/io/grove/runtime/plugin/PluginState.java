package io.grove.runtime.plugin;

import java.util.Locale;

/** Where a plugin stands, as shown by {@code GET /api/v1/plugins} and the dashboard. */
public enum PluginState {
    /** Loaded, with at least one running instance. */
    ACTIVE,
    /** Loaded; no instance configured. */
    LOADED,
    /** Refused before loading: incompatible API version, no or a bad descriptor, a duplicate name. */
    REFUSED,
    /** Loading or creating an instance threw. */
    FAILED;

    /** The lower-case name used in JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
