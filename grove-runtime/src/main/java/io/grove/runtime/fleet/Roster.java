package io.grove.runtime.fleet;

import io.grove.api.CellId;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One version of a fleet's membership list, as the leader signs it. Members are kept sorted by id so that two
 * rosters with the same members are equal and encode to the same bytes.
 *
 * @param fleetId    the fleet this roster belongs to
 * @param name       the fleet's human name (the same rules as a member label)
 * @param seq        version number, 1 for the founding roster, +1 for every change; at most 2^53 − 1 so that it is
 *                   exact as an RFC 8785 number
 * @param createdAt  when the leader made this version, epoch milliseconds, 0 to 2^53 − 1
 * @param leader     the founding cell, which signs every version; always a member
 * @param members    the cells in the fleet, the leader included, unique ids, 1 to {@value #MAX_MEMBERS}
 * @param parameters fleet-wide settings
 */
public record Roster(FleetId fleetId, String name, long seq, long createdAt, CellId leader, List<Member> members,
                     RosterParameters parameters) {
    /** The most members a roster lists. */
    public static final int MAX_MEMBERS = 1024;
    /** The largest integer an RFC 8785 number holds exactly. */
    static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
    /** The longest member label, in characters. */
    public static final int MAX_LABEL = 64;

    public Roster {
        if (fleetId == null || name == null || leader == null || members == null || parameters == null) {
            throw new IllegalArgumentException("a roster needs a fleet id, a name, a leader, members and parameters");
        }
        requireLabel(name);
        if (seq < 1 || seq > MAX_SAFE_INTEGER) {
            throw new IllegalArgumentException("roster seq must be 1.." + MAX_SAFE_INTEGER + ", not " + seq);
        }
        if (createdAt < 0 || createdAt > MAX_SAFE_INTEGER) {
            throw new IllegalArgumentException("roster createdAt must be 0.." + MAX_SAFE_INTEGER + ", not " + createdAt);
        }
        if (members.isEmpty() || members.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("a roster lists 1.." + MAX_MEMBERS + " members, not " + members.size());
        }
        List<Member> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing(Member::id));
        Set<CellId> ids = new HashSet<>();
        for (Member m : sorted) {
            if (m == null) {
                throw new IllegalArgumentException("a roster member is missing");
            }
            if (!ids.add(m.id())) {
                throw new IllegalArgumentException("member " + m.id().shortForm() + " is listed twice");
            }
            requireLabel(m.label());
        }
        if (!ids.contains(leader)) {
            throw new IllegalArgumentException("the leader " + leader.shortForm() + " is not a member");
        }
        members = List.copyOf(sorted);
    }

    /** The member with this id, if listed. */
    public Optional<Member> member(CellId id) {
        return members.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    /** The leader's entry. */
    public Member leaderMember() {
        return member(leader).orElseThrow();
    }

    /** The next version with {@code change} applied to the member list. */
    Roster next(long now, UnaryOperator<List<Member>> change) {
        return new Roster(fleetId, name, seq + 1, now, leader, change.apply(new ArrayList<>(members)), parameters);
    }

    /** The next version with other parameters. */
    Roster next(long now, RosterParameters newParameters) {
        return new Roster(fleetId, name, seq + 1, now, leader, members, newParameters);
    }

    /** A label is what people see in lists: 1 to 64 characters, no control characters, no surrounding blanks. */
    static void requireLabel(String label) {
        if (label.isEmpty() || label.length() > MAX_LABEL || !label.strip().equals(label)) {
            throw new IllegalArgumentException("a label has 1.." + MAX_LABEL
                    + " characters without leading or trailing blanks");
        }
        // codePoints() yields an unpaired surrogate as itself; such a string has no UTF-8 form to sign.
        if (label.codePoints().anyMatch(c -> Character.isISOControl(c) || c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)) {
            throw new IllegalArgumentException("a label has no control characters or unpaired surrogates");
        }
    }
}
