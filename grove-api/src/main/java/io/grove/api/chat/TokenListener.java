package io.grove.api.chat;

/** Receives a reply as it is generated. */
@FunctionalInterface
public interface TokenListener {
    /** One piece of the reply, in order. */
    void token(String text);
}
