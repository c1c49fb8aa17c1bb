-- Copies this cell asked a peer to release. The peer stops keeping them for this cell at once but deletes the file
-- only at its next garbage collection, so its inventory may still list them: such a listing is not a copy that
-- counts (it would be found surplus and released again every round). A row goes when an inventory pass of that peer
-- no longer lists the item (the file is gone) or when this cell places the item there again.
CREATE TABLE released_copies (
    item_id TEXT    NOT NULL,
    cell_id TEXT    NOT NULL,
    seen_at INTEGER NOT NULL, -- when it was released or last listed by the peer since
    PRIMARY KEY (item_id, cell_id)
) WITHOUT ROWID;
