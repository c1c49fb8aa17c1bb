package io.grove.runtime.share;

import io.grove.api.CellId;
import io.grove.api.ChunkId;
import io.grove.runtime.crypto.RecipientBox;
import io.grove.runtime.manifest.FileKeys;
import io.grove.runtime.manifest.FilePaths;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A read grant: the owner {@code creator} lets {@code recipient} read one file, either one version or the
 * {@code latest} version of its path, until {@code expiresAt}. Carries the file key sealed to the recipient's
 * X25519 key ({@link RecipientBox}, context {@link #context}). {@link SignedGrant} is its signed wire form.
 *
 * @param id         32 lower-case hex characters, random
 * @param creator    the owner cell, whose Ed25519 key signs
 * @param recipient  the cell that may read
 * @param path       the file's path on the owner
 * @param versionId  the version shared (for a latest grant: the version current when the grant was made)
 * @param latest     whether later versions of the path are covered too
 * @param createdAt  epoch milliseconds
 * @param expiresAt  epoch milliseconds; 0 means no expiry
 * @param wrappedKey the file key sealed to the recipient ({@value #WRAPPED_BYTES} bytes)
 */
public record Grant(String id, CellId creator, CellId recipient, String path, String versionId, boolean latest,
                    long createdAt, long expiresAt, byte[] wrappedKey) {
    /** The only scope: read. */
    public static final String SCOPE = "read";
    /** Signature domain label, also the prefix of the key box's context. */
    public static final String SIGNATURE_LABEL = "grove grant v1";
    /** Bytes of the sealed file key. */
    public static final int WRAPPED_BYTES = FileKeys.KEY_BYTES + RecipientBox.OVERHEAD;

    public Grant {
        if (id == null || !id.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("id: 32 lower-case hex characters");
        }
        if (creator == null || recipient == null || path == null || versionId == null || wrappedKey == null) {
            throw new IllegalArgumentException("a grant needs every field");
        }
        if (creator.equals(recipient)) {
            throw new IllegalArgumentException("a cell does not grant to itself");
        }
        FilePaths.check(path);
        if (!ChunkId.isValid(versionId)) {
            throw new IllegalArgumentException("versionId: 64 lower-case hex characters");
        }
        if (createdAt < 0 || expiresAt < 0 || (expiresAt != 0 && expiresAt <= createdAt)) {
            throw new IllegalArgumentException("expiresAt must be 0 (never) or after createdAt");
        }
        if (wrappedKey.length != WRAPPED_BYTES) {
            throw new IllegalArgumentException("wrappedKey: " + WRAPPED_BYTES + " bytes");
        }
        wrappedKey = wrappedKey.clone();
    }

    /** A fresh random grant id. */
    static String newId(java.security.SecureRandom random) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    /** Whether the grant has expired at {@code now} (epoch milliseconds). */
    public boolean expired(long now) {
        return expiresAt != 0 && now >= expiresAt;
    }

    /** The context bound into the file-key box: label ‖ 0x00 ‖ id ‖ creator ‖ recipient. */
    static byte[] context(String id, CellId creator, CellId recipient) {
        byte[] label = SIGNATURE_LABEL.getBytes(StandardCharsets.US_ASCII);
        byte[] rest = (id + creator.value() + recipient.value()).getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(label.length + 1 + rest.length).put(label).put((byte) 0).put(rest).array();
    }

    @Override
    public byte[] wrappedKey() {
        return wrappedKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Grant g && id.equals(g.id) && creator.equals(g.creator) && recipient.equals(g.recipient)
                && path.equals(g.path) && versionId.equals(g.versionId) && latest == g.latest
                && createdAt == g.createdAt && expiresAt == g.expiresAt && Arrays.equals(wrappedKey, g.wrappedKey);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "Grant[" + id + ", " + creator.shortForm() + " -> " + recipient.shortForm() + ", " + path + "]";
    }
}
