package io.grove.api.transport;

import io.grove.api.CellId;

import java.io.IOException;
import java.util.List;

/** The runtime's side of a {@link Transport}: what a transport may ask of, and report to, the cell. */
public interface TransportHost {

    /** This cell's id (to advertise, and to recognise one's own announcements). */
    CellId localCell();

    /** The port of this cell's peer socket, where direct HTTP requests arrive. */
    int peerPort();

    /**
     * Addresses the cell has learned for {@code peer} from rosters and invite codes ({@code host:port}).
     * Transports that reach peers by address use them besides their own configuration.
     */
    List<String> knownAddresses(CellId peer);

    /**
     * Handles a request that arrived through this transport (for carriers that receive requests themselves,
     * such as a relay); the runtime verifies and answers it exactly as it would on the peer socket.
     */
    PeerResponse handle(PeerRequest request) throws IOException;

    /**
     * Reports a route to a cell seen by discovery. The runtime trusts nothing about it: a cell that is not a
     * member is only listed as nearby, and a member's route is probed before it is used.
     */
    void discovered(Route route);

    /** Reports that a discovered route is gone (the peer left the LAN, the relay dropped it). */
    void lost(Route route);
}
