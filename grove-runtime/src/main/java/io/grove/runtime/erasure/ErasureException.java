package io.grove.runtime.erasure;

/** Shards cannot be encoded or decoded as asked: too few intact shards, wrong lengths, a mismatching result. */
public final class ErasureException extends RuntimeException {
    public ErasureException(String message) {
        super(message);
    }
}
