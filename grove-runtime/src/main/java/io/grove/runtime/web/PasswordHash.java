package io.grove.runtime.web;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Argon2id password hash in the PHC string format ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}), as
 * written to the cell folder's {@code dashboard.password}. The default cost is OWASP's recommended minimum for
 * Argon2id (19 MiB, 2 passes, 1 lane): about 0.1 s per attempt here, while a cell on a Raspberry Pi still logs in
 * promptly.
 *
 * @param memoryKiB   memory cost in KiB
 * @param iterations  time cost (passes)
 * @param parallelism lanes
 * @param salt        random salt (16 bytes when created here)
 * @param hash        the derived 32-byte hash
 */
public record PasswordHash(int memoryKiB, int iterations, int parallelism, byte[] salt, byte[] hash) {
    /** The default memory cost, in KiB. */
    public static final int MEMORY_KIB = 19 * 1024;
    /** The default time cost. */
    public static final int ITERATIONS = 2;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{22,128})");

    public PasswordHash {
        if (memoryKiB < 8 * 1024 || memoryKiB > 1024 * 1024 || iterations < 1 || iterations > 100
                || parallelism < 1 || parallelism > 16) {
            throw new IllegalArgumentException("Argon2id cost out of range (m=" + memoryKiB + ", t=" + iterations
                    + ", p=" + parallelism + ")");
        }
        if (salt.length < 8 || hash.length < 16) {
            throw new IllegalArgumentException("Argon2id salt or hash too short");
        }
        salt = salt.clone();
        hash = hash.clone();
    }

    /** Hashes {@code password} with the default cost and a fresh random salt. */
    public static PasswordHash create(String password, SecureRandom random) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return new PasswordHash(MEMORY_KIB, ITERATIONS, 1, salt, derive(password, salt, MEMORY_KIB, ITERATIONS, 1));
    }

    /** Parses the PHC string form. */
    public static PasswordHash parse(String encoded) {
        Matcher m = PHC.matcher(encoded.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not an Argon2id ($argon2id$v=19$…) password hash");
        }
        Base64.Decoder b64 = Base64.getDecoder();
        return new PasswordHash(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), b64.decode(m.group(4)), b64.decode(m.group(5)));
    }

    /** Whether {@code password} is the one hashed here (compared in constant time). */
    public boolean matches(String password) {
        return MessageDigest.isEqual(hash, derive(password, salt, memoryKiB, iterations, parallelism, hash.length));
    }

    /** The PHC string form (unpadded standard base64, as the reference implementation writes it). */
    public String encode() {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism + "$"
                + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash p && encode().equals(p.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash);
    }

    /** Never shows the hash. */
    @Override
    public String toString() {
        return "PasswordHash[argon2id m=" + memoryKiB + " t=" + iterations + " p=" + parallelism + "]";
    }

    private static byte[] derive(String password, byte[] salt, int memoryKiB, int iterations, int parallelism) {
        return derive(password, salt, memoryKiB, iterations, parallelism, HASH_BYTES);
    }

    private static byte[] derive(String password, byte[] salt, int memoryKiB, int iterations, int parallelism,
                                 int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB).withIterations(iterations).withParallelism(parallelism)
                .withSalt(salt).build());
        byte[] out = new byte[length];
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        try {
            generator.generateBytes(secret, out);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        return out;
    }
}
