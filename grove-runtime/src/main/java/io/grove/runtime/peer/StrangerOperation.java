package io.grove.runtime.peer;

import io.grove.runtime.fleet.Member;

/**
 * An operation that a cell outside the roster may call: today only {@code fleet.join}, where a new cell proves an
 * invite. Its request is still signed, timestamped and nonce-checked ({@link PeerVerifier#verifyStranger}), but the
 * sender's keys come from the small body instead of the roster; the operation itself decides whether to act.
 */
public interface StrangerOperation extends PeerOperation {

    /**
     * The identity the body claims for its sender (keys and label), checked against the signature before
     * {@link #handle} runs.
     *
     * @throws PeerRejection ({@code malformed}) when the body names none
     */
    Member claimant(byte[] body);
}
