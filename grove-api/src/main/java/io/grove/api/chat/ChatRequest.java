package io.grove.api.chat;

import java.util.List;

/**
 * A conversation to answer.
 *
 * @param model     the model to use, one of {@link ChatProvider#models()}; empty for the provider's default
 * @param messages  the conversation so far, oldest first, not empty
 * @param maxTokens the longest reply wanted, 1 to 32768
 */
public record ChatRequest(String model, List<ChatMessage> messages, int maxTokens) {
    public ChatRequest {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null (use \"\" for the default)");
        }
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
        if (maxTokens < 1 || maxTokens > 32_768) {
            throw new IllegalArgumentException("maxTokens must be between 1 and 32768: " + maxTokens);
        }
    }
}
