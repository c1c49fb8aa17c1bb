package io.grove.runtime.manifest;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Writes a manifest's canonical JSON (RFC 8785) directly as UTF-8 bytes, with the members already in canonical
 * order. It produces exactly the bytes of the general route (a Jackson tree canonicalised by {@code JsonCanonicalizer},
 * which {@code ManifestCodec.open} still uses to check signatures), as {@code CanonicalManifestWriterTest} checks on
 * random manifests; that route cost a tree, a serialisation, a parse and a second serialisation per manifest, a
 * measurable part of storing thousands of small files (docs/benchmarks.md).
 *
 * <p>RFC 8785 for the values a manifest holds: members sorted by their names' UTF-16 code units; strings with
 * {@code "} and {@code \} escaped, the control characters below U+0020 escaped ({@code \b \t \n \f \r}, else
 * {@code \}{@code u00xx} in lower case) and everything else written as UTF-8; numbers as ECMAScript prints the IEEE
 * double they denote (integers up to 2^53 unchanged).
 */
final class CanonicalManifestWriter {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final long EXACT_DOUBLE = 1L << 53;

    private byte[] out;
    private int size;

    private CanonicalManifestWriter(int capacity) {
        this.out = new byte[capacity];
    }

    /** The canonical JSON of {@code m}, as {@code ManifestCodec.toJson} describes its members. */
    static byte[] write(Manifest m) {
        CanonicalManifestWriter w = new CanonicalManifestWriter(256 + 200 * m.chunks().size() + 3 * m.path().length());
        // Sorted member names: author, chunks, hlc, mediaType, mtime, parent, path, size, tombstone, v.
        w.raw("{\"author\":");
        w.string(m.author().value());
        w.raw(",\"chunks\":[");
        boolean first = true;
        for (ChunkEntry c : m.chunks()) {
            if (!first) {
                w.raw(",");
            }
            first = false;
            // Sorted: blob, id, key, offset, plain, stored (blob and offset only for packed chunks).
            w.raw("{");
            if (c.slice().isPresent()) {
                w.raw("\"blob\":");
                w.string(c.slice().get().blob().hex());
                w.raw(",");
            }
            w.raw("\"id\":");
            w.string(c.id().hex());
            w.raw(",\"key\":");
            w.string(B64.encodeToString(c.key().encoded()));
            if (c.slice().isPresent()) {
                w.raw(",\"offset\":");
                w.number(c.slice().get().offset());
            }
            w.raw(",\"plain\":");
            w.number(c.plainLength());
            w.raw(",\"stored\":");
            w.number(c.storedLength());
            w.raw("}");
        }
        w.raw("],\"hlc\":");
        w.string(Long.toString(m.hlc()));
        w.raw(",\"mediaType\":");
        w.string(m.mediaType());
        w.raw(",\"mtime\":");
        w.number(m.mtime());
        if (m.parent().isPresent()) {
            w.raw(",\"parent\":");
            w.string(m.parent().get());
        }
        w.raw(",\"path\":");
        w.string(m.path());
        w.raw(",\"size\":");
        w.number(m.size());
        w.raw(m.tombstone() ? ",\"tombstone\":true" : ",\"tombstone\":false");
        w.raw(",\"v\":1}");
        return Arrays.copyOf(w.out, w.size);
    }

    private void raw(String ascii) {
        ensure(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            out[size++] = (byte) ascii.charAt(i);
        }
    }

    /** A number as RFC 8785 (ECMAScript's Number.prototype.toString of the double) writes it. */
    private void number(long value) {
        if (value >= -EXACT_DOUBLE && value <= EXACT_DOUBLE) {
            raw(Long.toString(value));
        } else {
            // Beyond 2^53 the value is first rounded to a double; ECMAScript then prints the shortest digits that
            // identify that double, padded with zeros (no exponent below 10^21, which a long never reaches).
            // Double.toString gives those shortest digits (JDK 19+, the same rule).
            raw(new BigDecimal(Double.toString((double) value)).toBigInteger().toString());
        }
    }

    private void string(String s) {
        ensure(2 + 6 * s.length());
        out[size++] = '"';
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80) {
                if (c == '"' || c == '\\') {
                    out[size++] = '\\';
                }
                out[size++] = (byte) c;
            } else if (c < 0x20) {
                escape(c);
            } else if (c < 0x800) {
                out[size++] = (byte) (0xc0 | c >> 6);
                out[size++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[size++] = (byte) (0xf0 | cp >> 18);
                out[size++] = (byte) (0x80 | cp >> 12 & 0x3f);
                out[size++] = (byte) (0x80 | cp >> 6 & 0x3f);
                out[size++] = (byte) (0x80 | cp & 0x3f);
            } else if (Character.isSurrogate(c)) {
                out[size++] = '?'; // what String.getBytes(UTF_8), and so the general route, makes of a lone surrogate
            } else {
                out[size++] = (byte) (0xe0 | c >> 12);
                out[size++] = (byte) (0x80 | c >> 6 & 0x3f);
                out[size++] = (byte) (0x80 | c & 0x3f);
            }
        }
        out[size++] = '"';
    }

    private void escape(char c) {
        out[size++] = '\\';
        switch (c) {
            case '\b' -> out[size++] = 'b';
            case '\t' -> out[size++] = 't';
            case '\n' -> out[size++] = 'n';
            case '\f' -> out[size++] = 'f';
            case '\r' -> out[size++] = 'r';
            default -> {
                out[size++] = 'u';
                out[size++] = '0';
                out[size++] = '0';
                out[size++] = HEX[c >> 4];
                out[size++] = HEX[c & 0xf];
            }
        }
    }

    private void ensure(int more) {
        if (size + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
        }
    }
}
