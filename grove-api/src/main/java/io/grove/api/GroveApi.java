package io.grove.api;

/**
 * The version of the plugin contract this {@code grove-api} artifact defines.
 *
 * <p>A plugin declares the API version it was built against in {@code META-INF/grove-plugin.properties}
 * ({@code api-version=MAJOR.MINOR}). The runtime loads it when the majors are equal and the plugin's minor is
 * not newer than the runtime's: minors only add methods with default implementations, majors break.
 */
public final class GroveApi {
    /** Major version: bumped on any incompatible change of a type in {@code io.grove.api}. */
    public static final int MAJOR = 1;
    /** Minor version: bumped when a compatible addition is made. */
    public static final int MINOR = 0;
    /** {@code MAJOR.MINOR}, as written in plugin descriptors. */
    public static final String VERSION = MAJOR + "." + MINOR;

    private GroveApi() {
    }
}
