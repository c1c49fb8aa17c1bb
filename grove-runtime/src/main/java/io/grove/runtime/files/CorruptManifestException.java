package io.grove.runtime.files;

/** A sealed manifest in the index that does not open or verify. */
public final class CorruptManifestException extends RuntimeException {
    private final String versionId;
    private final String reason;

    public CorruptManifestException(String versionId, String reason) {
        super("manifest " + versionId + " cannot be used: " + reason);
        this.versionId = versionId;
        this.reason = reason;
    }

    /** Why it cannot be used, without the version id. */
    public String reason() {
        return reason;
    }

    public String versionId() {
        return versionId;
    }
}
