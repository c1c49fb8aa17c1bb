package io.grove.api.chat;

/**
 * One turn of a conversation.
 *
 * @param role    who speaks
 * @param content what was said
 */
public record ChatMessage(Role role, String content) {
    /** The speaker of a turn. */
    public enum Role { SYSTEM, USER, ASSISTANT }

    public ChatMessage {
        if (role == null || content == null) {
            throw new IllegalArgumentException("a chat message needs a role and content");
        }
    }
}
