package io.grove.runtime.fleet;

import java.util.List;

/** What the leader answered to a {@link JoinRequest}. */
public sealed interface Redemption {

    /**
     * Admitted.
     *
     * @param member  the joining cell's roster entry
     * @param roster  the roster that lists it, to apply after pinning the invite's fleet
     * @param secrets the fleet secrets wrapped to it (empty for a friend)
     */
    record Joined(Member member, SignedRoster roster, List<WrappedSecret> secrets) implements Redemption {
        public Joined {
            if (member == null || roster == null || secrets == null) {
                throw new IllegalArgumentException("a join result needs the member, the roster and the secrets");
            }
            secrets = List.copyOf(secrets);
        }
    }

    /**
     * Refused; nothing changed.
     *
     * @param reason what is wrong, for the person who pasted the code
     */
    record Refused(String reason) implements Redemption {
        public Refused {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a refusal says why");
            }
        }
    }
}
