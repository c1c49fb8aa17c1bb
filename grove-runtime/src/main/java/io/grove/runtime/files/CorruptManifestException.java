package io.grove.runtime.files;

/** A sealed manifest in the index that does not open or verify. */
public final class CorruptManifestException extends RuntimeException {
    private final String versionId;

    public CorruptManifestException(String versionId, String reason) {
        super("manifest " + versionId + " cannot be used: " + reason);
        this.versionId = versionId;
    }

    public String versionId() {
        return versionId;
    }
}
