package io.grove.runtime.peer;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A body of known length that is hashed while it is read and checked against the signed digest before its last
 * bytes are handed out: a reader (a chunk store writing a temporary file) never sees the whole of a body that does
 * not match, so it never commits one.
 */
final class DigestCheckingInputStream extends InputStream {
    private final InputStream in;
    private final String expectedDigest;
    private final long length;
    private final MessageDigest sha256 = sha256();
    private long remaining;
    private boolean checked;
    private PeerRejection failure;

    DigestCheckingInputStream(InputStream in, long length, String expectedDigest) {
        this.in = in;
        this.length = length;
        this.remaining = length;
        this.expectedDigest = expectedDigest;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (remaining == 0) {
            check();
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new PeerRejection(PeerRejection.Code.MALFORMED,
                    "body ended after " + (length - remaining) + " of " + length + " bytes");
        }
        sha256.update(b, off, n);
        remaining -= n;
        if (remaining == 0) {
            check();
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), Math.max(0, remaining - 1));
    }

    /** Reads what is left and checks the digest; for callers that need the body only verified. */
    void finish() throws IOException {
        byte[] buffer = new byte[8192];
        while (read(buffer, 0, buffer.length) >= 0) {
            // reading is the point
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void check() {
        if (!checked) {
            checked = true;
            String actual = HexFormat.of().formatHex(sha256.digest());
            if (!actual.equals(expectedDigest)) {
                failure = new PeerRejection(PeerRejection.Code.DIGEST_MISMATCH, "body hashes to "
                        + actual.substring(0, 12) + "…, not the signed digest " + expectedDigest.substring(0, 12) + "…");
            }
        }
        if (failure != null) {
            throw failure; // every later read fails too, so a reader that swallowed it still cannot see an end
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    static String hex(byte[] data) {
        return HexFormat.of().formatHex(sha256().digest(data));
    }
}
