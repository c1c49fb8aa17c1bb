package io.grove.runtime.share;

import io.grove.api.ChunkId;

/** The JSON bodies of the sharing peer operations ({@code docs/protocol.md}, section "Sharing"). */
public final class ShareMessages {
    private ShareMessages() {
    }

    private static void requireGrantId(String grant) {
        if (grant == null || !grant.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("grant: 32 lower-case hex characters");
        }
    }

    /** {@code share.manifest} and {@code share.revoke}: which grant. */
    public record GrantRef(String grant) {
        public GrantRef {
            requireGrantId(grant);
        }
    }

    /** {@code share.chunk}: a chunk of the file a grant covers. */
    public record ChunkAsk(String grant, String id) {
        public ChunkAsk {
            requireGrantId(grant);
            if (!ChunkId.isValid(id)) {
                throw new IllegalArgumentException("id: 64 lower-case hex characters");
            }
        }
    }

    /**
     * The answer of {@code share.manifest}: the version the grant covers now, its sealed manifest, and its file key
     * sealed to the asking recipient (so a "latest" grant follows a file re-keyed for someone else's revocation).
     *
     * @param version  the version id
     * @param manifest the sealed manifest, unpadded base64url
     * @param key      the file key in a {@link io.grove.runtime.crypto.RecipientBox} under the grant's context, base64url
     */
    public record ManifestReply(String version, String manifest, String key) {
        public ManifestReply {
            if (!ChunkId.isValid(version) || manifest == null || key == null) {
                throw new IllegalArgumentException("a manifest reply needs a version, a manifest and a key");
            }
        }
    }
}
