package io.grove.api.chat;

import java.io.IOException;
import java.util.List;

/**
 * An AI chat model: a local server (Ollama, llama.cpp), an in-process model, or any OpenAI-compatible API.
 *
 * <p>Calls block; the runtime makes them on virtual threads. Answers stream: each piece of text is passed to
 * the {@link TokenListener} as soon as the model produces it, and the whole reply is returned at the end.
 */
public interface ChatProvider extends AutoCloseable {

    /** The models this provider can answer with, best first. */
    List<String> models() throws IOException;

    /**
     * Answers a conversation.
     *
     * @param request the conversation and options
     * @param tokens  receives the reply piece by piece, on the calling thread
     * @return the complete reply
     * @throws IOException when the model cannot be reached or fails; a thread interrupt cancels the call
     */
    ChatReply chat(ChatRequest request, TokenListener tokens) throws IOException;

    @Override
    void close() throws IOException;
}
