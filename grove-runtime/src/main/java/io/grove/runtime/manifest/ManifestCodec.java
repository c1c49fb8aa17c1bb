package io.grove.runtime.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grove.api.CellId;
import io.grove.api.ChunkId;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.crypto.Aead;
import io.grove.runtime.crypto.ChunkKey;
import io.grove.runtime.crypto.Signatures;
import io.grove.runtime.json.Json;
import org.erdtman.jcs.JsonCanonicalizer;

import javax.crypto.AEADBadTagException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns manifests into sealed bytes and back. The manifest is canonical JSON (RFC 8785), signed by its author
 * over {@code "grove manifest v1" ‖ 0x00 ‖ JSON}, wrapped with the signature in an envelope and sealed with the
 * file key. See docs/storage.md.
 */
public final class ManifestCodec {
    /** The signature domain of manifests. */
    public static final String SIGNATURE_LABEL = "grove manifest v1";
    private static final byte[] MAGIC = {'G', 'R', 'V', 'M', 1};
    private static final int HEADER_BYTES = MAGIC.length + FileKeys.WRAPPED_BYTES;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private ManifestCodec() {
    }

    /** Signs and seals {@code manifest} with {@code fileKey}; {@code wrappedFileKey} travels in the header. */
    public static SealedManifest seal(Manifest manifest, CellKeys author, byte[] fileKey, byte[] wrappedFileKey) {
        if (!manifest.author().equals(author.cellId())) {
            throw new IllegalArgumentException("a manifest is sealed by its author");
        }
        byte[] json = CanonicalManifestWriter.write(manifest);
        byte[] header = header(wrappedFileKey);
        byte[] body = Aead.seal(fileKey, envelope(json, author.sign(SIGNATURE_LABEL, json)), header);
        byte[] sealed = Arrays.copyOf(header, header.length + body.length);
        System.arraycopy(body, 0, sealed, header.length, body.length);
        return new SealedManifest(sealed);
    }

    /** The wrapped file key in a sealed manifest's header (for the owner, who unwraps it with the master key). */
    public static byte[] wrappedFileKey(SealedManifest sealed) throws ManifestException {
        byte[] b = sealed.bytes();
        if (b.length < HEADER_BYTES + Aead.OVERHEAD || !Arrays.equals(b, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new ManifestException("not a Grove sealed manifest (bad magic or too short)");
        }
        return Arrays.copyOfRange(b, MAGIC.length, HEADER_BYTES);
    }

    /**
     * Opens a sealed manifest and checks its author's signature.
     *
     * @param signingKeys the Ed25519 public key of a cell, if it is one this cell trusts
     * @throws ManifestException when the key is wrong, any byte was altered, the signature does not verify or
     *                           the content is malformed
     */
    public static Manifest open(SealedManifest sealed, byte[] fileKey, Function<CellId, Optional<byte[]>> signingKeys)
            throws ManifestException {
        wrappedFileKey(sealed);
        byte[] b = sealed.bytes();
        byte[] envelopeBytes;
        try {
            envelopeBytes = Aead.open(fileKey, Arrays.copyOfRange(b, HEADER_BYTES, b.length), Arrays.copyOf(b, HEADER_BYTES));
        } catch (AEADBadTagException e) {
            throw new ManifestException("the manifest does not decrypt with this file key (altered, or another key)", e);
        }
        try {
            JsonNode envelope = Json.mapper().readTree(envelopeBytes);
            JsonNode json = envelope.path("manifest");
            byte[] signature = B64D.decode(envelope.path("signature").asText(""));
            Manifest manifest = fromJson(json);
            byte[] key = signingKeys.apply(manifest.author()).orElseThrow(() ->
                    new ManifestException("the manifest's author " + manifest.author().shortForm() + " is not a known cell"));
            if (!Signatures.verify(key, SIGNATURE_LABEL, canonical(json), signature)) {
                throw new ManifestException("the manifest's signature does not verify");
            }
            return manifest;
        } catch (IOException | IllegalArgumentException e) {
            throw new ManifestException("the manifest is malformed: " + e.getMessage(), e);
        }
    }

    static ObjectNode toJson(Manifest m) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("v", 1);
        node.put("path", m.path());
        node.put("size", m.size());
        node.put("mtime", m.mtime());
        node.put("mediaType", m.mediaType());
        ArrayNode chunks = node.putArray("chunks");
        for (ChunkEntry c : m.chunks()) {
            ObjectNode chunk = chunks.addObject();
            chunk.put("id", c.id().hex());
            chunk.put("plain", c.plainLength());
            chunk.put("stored", c.storedLength());
            chunk.put("key", B64.encodeToString(c.key().encoded()));
            // Only packed chunks carry these, so manifests of unpacked chunks keep their exact earlier form.
            c.slice().ifPresent(s -> {
                chunk.put("blob", s.blob().hex());
                chunk.put("offset", s.offset());
            });
        }
        m.parent().ifPresent(p -> node.put("parent", p));
        node.put("tombstone", m.tombstone());
        // A string: RFC 8785 numbers are IEEE doubles, exact only to 2^53, and an HLC needs 64 bits.
        node.put("hlc", Long.toString(m.hlc()));
        node.put("author", m.author().value());
        return node;
    }

    static Manifest fromJson(JsonNode n) {
        if (n.path("v").asInt() != 1) {
            throw new IllegalArgumentException("unsupported manifest version " + n.path("v"));
        }
        List<ChunkEntry> chunks = new ArrayList<>();
        for (JsonNode c : n.withArray("chunks")) {
            Optional<ChunkEntry.Slice> slice = Optional.empty();
            if (c.has("blob") || c.has("offset")) {
                if (!c.path("offset").isIntegralNumber() || !c.path("offset").canConvertToInt() || !c.path("blob").isTextual()) {
                    throw new IllegalArgumentException("a packed chunk needs a blob id and an integer offset");
                }
                slice = Optional.of(new ChunkEntry.Slice(ChunkId.of(c.get("blob").asText()), c.get("offset").intValue()));
            }
            chunks.add(new ChunkEntry(ChunkId.of(c.path("id").asText()), c.path("plain").asInt(-1),
                    c.path("stored").asInt(-1), ChunkKey.decode(B64D.decode(c.path("key").asText())), slice));
        }
        Optional<String> parent = n.hasNonNull("parent") ? Optional.of(ChunkId.of(n.get("parent").asText()).hex()) : Optional.empty();
        return new Manifest(n.path("path").asText(), n.path("size").asLong(-1), n.path("mtime").asLong(-1),
                n.path("mediaType").asText(), chunks, parent, n.path("tombstone").asBoolean(),
                Long.parseLong(n.path("hlc").asText("0")), new CellId(n.path("author").asText()));
    }

    /**
     * Seals and opens throwaway manifests for up to {@code budget}, so that C2 compiles signing, canonical JSON and
     * sealing before the first archive arrives: in a fresh JVM the first two thousand small files otherwise take
     * about twice as long. Nothing is stored; the file key is random and discarded.
     *
     * @return how many manifests were sealed
     */
    public static int warmUp(CellKeys keys, Duration budget) {
        long end = System.nanoTime() + budget.toNanos();
        byte[] fileKey = FileKeys.newKey();
        byte[] wrapped = new byte[FileKeys.WRAPPED_BYTES];
        ChunkEntry chunk = new ChunkEntry(ChunkId.ofDigest(new byte[32]), 1000, 1016,
                ChunkKey.decode(new byte[ChunkKey.KEY_LENGTH + ChunkKey.NONCE_LENGTH]),
                Optional.of(new ChunkEntry.Slice(ChunkId.ofDigest(new byte[32]), 4096)));
        int n = 0;
        // Ends: bounded by count and by time.
        for (; n < 5000 && (n == 0 || System.nanoTime() < end); n++) {
            Manifest m = new Manifest("warm-up/file-" + n + ".bin", 1000, 1, "application/octet-stream", List.of(chunk),
                    Optional.empty(), false, 1L + n, keys.cellId());
            SealedManifest sealed = seal(m, keys, fileKey, wrapped);
            try {
                open(sealed, fileKey, id -> Optional.of(keys.signingPublicKey()));
            } catch (ManifestException e) {
                throw new IllegalStateException("warm-up could not open its own manifest", e);
            }
            sealed.id();
        }
        return n;
    }

    private static byte[] header(byte[] wrappedFileKey) {
        if (wrappedFileKey.length != FileKeys.WRAPPED_BYTES) {
            throw new IllegalArgumentException("a wrapped file key has " + FileKeys.WRAPPED_BYTES + " bytes");
        }
        byte[] header = Arrays.copyOf(MAGIC, HEADER_BYTES);
        System.arraycopy(wrappedFileKey, 0, header, MAGIC.length, wrappedFileKey.length);
        return header;
    }

    static byte[] canonical(JsonNode node) {
        try {
            return new JsonCanonicalizer(Json.mapper().writeValueAsString(node)).getEncodedUTF8();
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always canonicalises", e);
        }
    }

    /**
     * The canonical JSON of {@code {"manifest": <json>, "signature": "<base64url>"}}, written directly: the members
     * are already in RFC 8785 order ("manifest" before "signature"), {@code json} is canonical and base64url needs
     * no escaping, so canonicalising the envelope again (a parse and a re-serialisation per manifest) would return
     * the same bytes.
     */
    static byte[] envelope(byte[] canonicalManifest, byte[] signature) {
        byte[] head = "{\"manifest\":".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = (",\"signature\":\"" + B64.encodeToString(signature) + "\"}").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + canonicalManifest.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(canonicalManifest, 0, out, head.length, canonicalManifest.length);
        System.arraycopy(tail, 0, out, head.length + canonicalManifest.length, tail.length);
        return out;
    }

}
