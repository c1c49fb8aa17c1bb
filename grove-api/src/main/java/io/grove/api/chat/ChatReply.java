package io.grove.api.chat;

import java.time.Duration;

/**
 * A complete answer.
 *
 * @param model            the model that answered
 * @param content          the whole reply text
 * @param completionTokens tokens generated, or {@code -1} when the provider does not say
 * @param elapsed          time from request to last token
 */
public record ChatReply(String model, String content, int completionTokens, Duration elapsed) {
    public ChatReply {
        if (model == null || content == null || elapsed == null) {
            throw new IllegalArgumentException("a chat reply needs a model, content and elapsed time");
        }
    }
}
